import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanStore } from '../src/store/span-store.ts';
import { applyRetention } from '../src/store/retention.ts';
import { makeTrace, postTraces, protobufBody } from './support/spans.ts';
import { exchangeRecord } from './support/exchanges.ts';
import { OPERATOR, startTestTelemetry, type TestTelemetry } from './support/telemetry.ts';

describe('tail-based keep and retention', () => {
  let t: TestTelemetry;
  beforeAll(async () => {
    // The rest is sampled away entirely: only errors and slow traces may stay.
    t = await startTestTelemetry({ TELEMETRY_SAMPLE_RATE: '0', TELEMETRY_SLOW_MS: '500' });
  });
  afterAll(() => t?.close());

  const send = async (service: string, options: Parameters<typeof makeTrace>[1] = {}) => {
    const { traceId, spans } = await makeTrace(service, options);
    expect((await postTraces(t.otlpUrl, protobufBody(spans), 'application/x-protobuf')).status).toBe(200);
    return traceId;
  };
  const kept = async (id: string) => (await t.gql('query ($id: ID!) { trace(id: $id) { keptBecause spans { spanId } } }', { id }, OPERATOR)).data.trace;

  it('keeps traces with an error and slow traces, and drops the sampled-out rest with its spans', async () => {
    const ordinary = await send('ordinary');
    const failed = await send('failing', { error: true });
    const slow = await send('slow', { slowMs: 600 });
    await t.service.sweeper.runOnce();
    expect(await kept(ordinary)).toBeNull();
    expect(await t.service.prisma.span.count({ where: { traceId: ordinary } })).toBe(0);
    expect(await kept(failed)).toMatchObject({ keptBecause: 'ERROR', spans: [{}, {}] });
    expect(await kept(slow)).toMatchObject({ keptBecause: 'SLOW', spans: [{}, {}] });
  });

  it('decides a trace only once it has been quiet for the settle time, so late spans still count', async () => {
    const store = new SpanStore(t.service.prisma, { sampleRate: 0, slowMs: 500, settleMs: 60_000 });
    const { traceId, spans } = await makeTrace('late', { error: true });
    const [child, root] = spans; // the child (with the error) ends first
    await postTraces(t.otlpUrl, protobufBody([root!]), 'application/x-protobuf');
    expect(await store.decide()).toEqual({ kept: 0, dropped: 0 });
    await postTraces(t.otlpUrl, protobufBody([child!]), 'application/x-protobuf');
    // A minute later: the error in the late span keeps the whole trace.
    await store.decide(new Date(Date.now() + 61_000));
    expect(await kept(traceId)).toMatchObject({ keptBecause: 'ERROR', spans: [{}, {}] });
  });

  it('deletes traces and exchange records past the retention age', async () => {
    const failed = await send('aged', { error: true });
    await t.service.sweeper.runOnce();
    await t.service.stores.exchanges.add([exchangeRecord(new Date())]);
    const later = new Date(Date.now() + 25 * 3_600_000);
    const removed = await applyRetention(t.service.prisma, { maxAgeMs: 24 * 3_600_000, maxBytes: 1e12 }, later);
    expect(removed.tracesDeleted).toBeGreaterThanOrEqual(1);
    expect(removed.exchangesDeleted).toBeGreaterThanOrEqual(1);
    expect(await kept(failed)).toBeNull();
    expect(await t.service.prisma.span.count()).toBe(0);
    expect(await t.service.prisma.exchange.count()).toBe(0);
  });

  it('keeps the store under its size bound by deleting the oldest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(await send(`sized-${i}`, { error: true }));
      await t.service.sweeper.runOnce();
      await new Promise((r) => setTimeout(r, 20));
    }
    const rows = await t.service.prisma.traceRecord.findMany({ where: { id: { in: ids } }, orderBy: { startedAt: 'asc' } });
    expect(rows).toHaveLength(4);
    // Room for the two newest traces only.
    const bound = rows[2]!.bytes + rows[3]!.bytes;
    await applyRetention(t.service.prisma, { maxAgeMs: 24 * 3_600_000, maxBytes: bound }, new Date());
    const left = await t.service.prisma.traceRecord.findMany({ where: { id: { in: ids } } });
    expect(left.map((r) => r.id).sort()).toEqual([rows[2]!.id, rows[3]!.id].sort());
    expect(await t.service.prisma.span.count({ where: { traceId: { in: [rows[0]!.id, rows[1]!.id] } } })).toBe(0);
  });
});
