import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telemetrySubjects, type ExchangeRecord } from '@simpul/contracts';
import { initTelemetry } from '@simpul/telemetry';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@simpul/telemetry/testing';
import { eventually, postGraphQL } from '@simpul/testing';
import { startHarness } from './harness.ts';
import { identityStandIn, registryStandIn } from './stand-ins.ts';

const spans = new InMemorySpanExporter();
const tracing = initTelemetry({ serviceName: 'gateway-test', spanProcessors: [new SimpleSpanProcessor(spans)] });

let h: Awaited<ReturnType<typeof startHarness>>;
const records: ExchangeRecord[] = [];

beforeAll(async () => {
  h = await startHarness([identityStandIn, registryStandIn]);
  h.serviceConnection.subscribe(telemetrySubjects(h.subjects).exchange, { callback: (_e, msg) => void records.push(msg.json<ExchangeRecord>()) });
  await h.serviceConnection.flush();
});
afterAll(async () => {
  await h?.stop();
  await tracing.shutdown();
});

/** The record of the next operation, once the gateway has published it. */
async function recordAfter(run: () => Promise<unknown>): Promise<ExchangeRecord> {
  const before = records.length;
  await run();
  return eventually(() => (records.length > before ? records[before] : undefined));
}

describe('exchange records', () => {
  it('records who called which operation, the services and NATS requests it took, sizes, duration and outcome', async () => {
    const token = await h.key.sign({ sub: 'user-42', agency: 'KOMINFO', roles: ['EMPLOYEE'] });
    let response!: Awaited<ReturnType<typeof postGraphQL>>;
    const record = await recordAfter(async () => {
      response = await postGraphQL(h.url, 'query Catalogue { applications(first: 2) { name owner { code name } } }', {}, token);
    });
    expect(response.status).toBe(200);
    expect(record).toMatchObject({
      clientKind: 'USER',
      userId: 'user-42',
      agencyCode: 'KOMINFO',
      apiClientId: null,
      roles: ['EMPLOYEE'],
      operationName: 'Catalogue',
      operationType: 'query',
      outcome: 'OK',
      errorCodes: [],
    });
    expect(record.operationHash).toMatch(/^[0-9a-f]{64}$/);
    expect(record.services.map((s) => s.service).sort()).toEqual(['identity', 'registry']);
    expect(record.natsRequests).toBe(record.services.reduce((n, s) => n + s.requests, 0));
    expect(record.natsRequests).toBeGreaterThanOrEqual(2);
    expect(record.natsBytesOut).toBeGreaterThan(0);
    expect(record.natsBytesIn).toBeGreaterThan(0);
    expect(record.bytesIn).toBeGreaterThan(0);
    expect(record.bytesOut).toBe(Buffer.byteLength(JSON.stringify(response.body)));
    expect(record.durationMs).toBeGreaterThan(0);
    // The record's trace is the request's own: the gateway's HTTP span.
    expect(spans.getFinishedSpans().some((s) => s.spanContext().traceId === record.traceId && s.name === 'HTTP POST /graphql')).toBe(true);
  });

  it('never holds variables, tokens or answers', async () => {
    const token = await h.key.sign();
    const record = await recordAfter(() =>
      postGraphQL(h.url, 'mutation Rename($name: String!) { rename(code: "AG-1", name: $name) { name } }', { name: 'Sangat Rahasia 7731' }, token),
    );
    expect(record.operationType).toBe('mutation');
    const text = JSON.stringify(record);
    expect(text).not.toContain('Sangat Rahasia 7731');
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.split('.')[2]);
  });

  it('says REFUSED, with the error code, for an operation that never ran, and counts anonymous callers', async () => {
    const record = await recordAfter(() => postGraphQL(h.url, '{ nosuchfield }'));
    expect(record).toMatchObject({ outcome: 'REFUSED', errorCodes: ['GRAPHQL_VALIDATION_FAILED'], clientKind: 'ANONYMOUS', natsRequests: 0 });
  });

  it("says PARTIAL or ERROR with the services' error codes", async () => {
    const token = await h.key.sign({ roles: ['EMPLOYEE'] });
    const partial = await recordAfter(() => postGraphQL(h.url, '{ health adminOnly }', {}, token));
    expect(partial).toMatchObject({ outcome: 'PARTIAL', errorCodes: ['FORBIDDEN'], services: [{ service: 'identity', requests: 1, failed: 0 }] });
  });
});

describe('every error answer carries extensions.traceId', () => {
  it.each([
    ['a validation failure', '{ nosuchfield }', undefined],
    ['a syntax error', '{ health', undefined],
    ['a service refusing a field', '{ adminOnly }', 'EMPLOYEE'],
    ['an unexpected error in a service', '{ boom }', 'NATIONAL_ADMIN'],
    ['a bad token', '{ health }', 'BAD'],
  ] as const)('%s', async (_label, query, role) => {
    const token = role === 'BAD' ? 'not-a-token' : role ? await h.key.sign({ roles: [role] }) : undefined;
    const { body } = await postGraphQL(h.url, query, {}, token);
    expect(body.errors?.length).toBeGreaterThan(0);
    for (const error of body.errors!) {
      const traceId = error.extensions?.traceId as string;
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(spans.getFinishedSpans().some((s) => s.spanContext().traceId === traceId)).toBe(true);
    }
  });
});

describe('instance discovery and the live feed', () => {
  it("the gateway answers the telemetry service's discovery with who it is", async () => {
    const reply = await h.serviceConnection.request(telemetrySubjects(h.subjects).gatewayHealth, undefined, { timeout: 5000 });
    const report = reply.json<{ status: string; instance: { id: string; pid: number } }>();
    expect(report.status).toBe('ok');
    expect(report.instance.pid).toBe(process.pid);
  });

  it('GET /telemetry/live: 401 without a token, 403 without an operator role, events for an OPERATOR', async () => {
    expect((await fetch(`${h.url}/telemetry/live`)).status).toBe(401);
    const employee = await h.key.sign({ roles: ['EMPLOYEE'] });
    expect((await fetch(`${h.url}/telemetry/live`, { headers: { authorization: `Bearer ${employee}` } })).status).toBe(403);
    expect((await fetch(`${h.url}/telemetry/live?access_token=${await h.key.sign({ roles: ['AGENCY_ADMIN'] })}`)).status).toBe(403);

    const controller = new AbortController();
    const operator = await h.key.sign({ roles: ['OPERATOR'] });
    const response = await fetch(`${h.url}/telemetry/live?access_token=${operator}`, { signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    let text = '';
    const live = telemetrySubjects(h.subjects).live;
    const received = eventually(async () => {
      h.serviceConnection.publish(live, JSON.stringify({ event: 'snapshot', data: { at: 'now', instances: [] } }));
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
      return text.includes('event: snapshot') ? text : undefined;
    });
    expect(await received).toContain('data: {"at":"now","instances":[]}');
    controller.abort();
  });
});
