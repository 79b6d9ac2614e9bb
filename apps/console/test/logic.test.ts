import { describe, expect, it, vi } from 'vitest';
import { createGraphQLClient, GraphQLRequestError } from '../src/api/graphql-client.ts';
import { EventStreamParser } from '../src/api/live-feed.ts';
import { alignSeries, percentileLines } from '../src/components/metric-charts.ts';
import { buildWaterfall, spanCategory } from '../src/components/span-tree.ts';
import { parseRoute, traceHref } from '../src/router.ts';
import { traceFilterFrom } from '../src/pages/traces-page.tsx';
import { appointmentTrace, NOW, series, span } from './fixtures.ts';

describe('the GraphQL client', () => {
  const answer = (status: number, body: unknown) =>
    vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));

  it('sends the token and returns data', async () => {
    const fetchImpl = answer(200, { data: { ok: true } });
    const request = createGraphQLClient({ token: () => 'tok', fetchImpl });
    expect(await request('{ ok }')).toEqual({ ok: true });
    const init = (fetchImpl.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer tok');
  });

  it("keeps the gateway's error code and trace id, and logs out on UNAUTHENTICATED", async () => {
    const forbidden = createGraphQLClient({
      token: () => 'tok',
      fetchImpl: answer(200, { data: null, errors: [{ message: 'no', extensions: { code: 'FORBIDDEN', traceId: 'abc' } }] }),
    });
    await expect(forbidden('{ traces { totalCount } }')).rejects.toMatchObject({ code: 'FORBIDDEN', traceId: 'abc' });
    const onUnauthenticated = vi.fn();
    const expired = createGraphQLClient({
      token: () => 'old',
      onUnauthenticated,
      fetchImpl: answer(401, { errors: [{ message: 'expired', extensions: { code: 'UNAUTHENTICATED' } }] }),
    });
    await expect(expired('{ me { id } }')).rejects.toBeInstanceOf(GraphQLRequestError);
    expect(onUnauthenticated).toHaveBeenCalledOnce();
  });

  it('says so when the answer is not GraphQL', async () => {
    const request = createGraphQLClient({ token: () => null, fetchImpl: vi.fn(async () => new Response('<html>bad gateway</html>', { status: 502 })) });
    await expect(request('{ ok }')).rejects.toMatchObject({ code: 'NETWORK_ERROR', message: expect.stringContaining('502') });
  });
});

describe('the live feed parser', () => {
  it('reads events split across chunks, skips pings, joins multi-line data', () => {
    const parser = new EventStreamParser();
    expect(parser.push(': ping\n\nevent: snap')).toEqual([]);
    expect(parser.push('shot\ndata: {"a":\r\ndata: 1}\n\nevent: exchange\ndata: {}\n')).toEqual([{ event: 'snapshot', data: '{"a":\n1}' }]);
    expect(parser.push('\n')).toEqual([{ event: 'exchange', data: '{}' }]);
  });
});

describe('routes', () => {
  it('reads pages, a trace id and a selected span from the hash', () => {
    expect(parseRoute('')).toEqual({ page: 'overview' });
    expect(parseRoute('#/events')).toEqual({ page: 'events' });
    expect(parseRoute(traceHref('abc', 's1'))).toEqual({ page: 'trace', traceId: 'abc', spanId: 's1' });
    const traces = parseRoute('#/traces?service=personnel&minMs=50');
    expect(traces.page === 'traces' && traces.query.get('service')).toBe('personnel');
    expect(parseRoute('#/nope').page).toBe('not-found');
  });

  it('turns the search form into a TraceFilter', () => {
    const filter = traceFilterFrom(
      new URLSearchParams('service=personnel&agency=kab-banyuwangi&status=ERROR&minMs=25&last=15m&operation=AppointEmployee'),
      NOW,
    );
    expect(filter).toEqual({
      service: 'personnel',
      agencyCode: 'KAB-BANYUWANGI',
      status: 'ERROR',
      minDurationMs: 25,
      operation: 'AppointEmployee',
      from: new Date(NOW - 15 * 60_000).toISOString(),
    });
    // No range given: the last hour; no service: operations through a gateway. A bad number is left out rather than sent.
    expect(traceFilterFrom(new URLSearchParams('minMs=abc'), NOW)).toEqual({ service: 'gateway', from: new Date(NOW - 60 * 60_000).toISOString() });
    expect(traceFilterFrom(new URLSearchParams('show=all'), NOW)).toEqual({ from: new Date(NOW - 60 * 60_000).toISOString() });
  });
});

describe('the waterfall tree', () => {
  it('puts every span in one tree, depth first, children by start, with sub-millisecond offsets', () => {
    const { rows, totalMs } = buildWaterfall(appointmentTrace().spans);
    expect(rows.map((r) => `${'  '.repeat(r.depth)}${r.span.spanId}`)).toEqual([
      'a1',
      '  a2',
      '    a3',
      '      b1',
      '        b2',
      '        b3',
      '        c1',
      '          d1',
      'e1',
    ]);
    expect(rows.find((r) => r.span.spanId === 'b3')!.offsetMs).toBeCloseTo(20, 6);
    expect(totalMs).toBe(79);
    expect(rows.find((r) => r.span.spanId === 'd1')!.ancestors).toEqual(['a1', 'a2', 'a3', 'b1', 'c1']);
  });

  it('survives a cycle in bad data', () => {
    const { rows } = buildWaterfall([span('x', 'y', 's', 'x', 0, 1), span('y', 'x', 's', 'y', 1, 1)]);
    expect(rows.map((r) => r.span.spanId).sort()).toEqual(['x', 'y']);
  });

  it('names what a span is', () => {
    const byId = new Map(appointmentTrace().spans.map((s) => [s.spanId, spanCategory(s)]));
    expect(Object.fromEntries(byId)).toMatchObject({ a1: 'http', a2: 'graphql', a3: 'nats', b2: 'db', c1: 'event', d1: 'event' });
  });
});

describe('chart series', () => {
  it('fills quiet minutes with 0 for rates and leaves gaps for latencies', () => {
    const window = { from: NOW - 5 * 60_000, to: NOW };
    const rates = alignSeries([series('personnel', [4, 1], 120)], (p) => p.rate, window, { quietAs: 0 });
    expect(rates.x).toHaveLength(6);
    expect(rates.series[0]!.values).toEqual([0, 2, 0, 0, 2, 0]);
    const latency = percentileLines(series('gateway', [2]), window);
    expect(latency.series.map((s) => s.label)).toEqual(['p50', 'p95', 'p99']);
    expect(latency.series[1]!.values).toEqual([null, null, null, 20, null, null]);
  });
});
