import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody, makeTrace, postTraces, protobufBody } from './support/spans.ts';
import { OPERATOR, startTestTelemetry, type TestTelemetry } from './support/telemetry.ts';

const TRACE = /* GraphQL */ `
  query ($id: ID!) {
    trace(id: $id) {
      id rootService rootName status keptBecause services
      spans { spanId parentSpanId service name kind startTime durationMs status statusMessage attributes { key value } events { name time attributes { key value } } }
    }
  }
`;

describe('OTLP/HTTP receiver', () => {
  let t: TestTelemetry;
  beforeAll(async () => {
    t = await startTestTelemetry();
  });
  afterAll(() => t?.close());

  async function stored(traceId: string) {
    await t.service.sweeper.runOnce();
    const result = await t.gql(TRACE, { id: traceId }, OPERATOR);
    expect(result.errors).toBeUndefined();
    return result.data.trace;
  }

  for (const [encoding, contentType, encode] of [
    ['protobuf', 'application/x-protobuf', protobufBody],
    ['JSON', 'application/json', jsonBody],
  ] as const) {
    it(`stores a trace sent in ${encoding} as an OpenTelemetry SDK sends it, as one tree`, async () => {
      const { traceId, spans } = await makeTrace('agency-system', { error: true });
      const response = await postTraces(t.otlpUrl, encode(spans), contentType);
      expect(response.status).toBe(200);
      const trace = await stored(traceId);
      expect(trace).toMatchObject({
        id: traceId,
        rootService: 'agency-system',
        rootName: 'GET /records',
        status: 'ERROR',
        keptBecause: 'ERROR',
        services: ['agency-system'],
      });
      const [root, child] = trace.spans;
      expect(root).toMatchObject({ name: 'GET /records', kind: 'SERVER', parentSpanId: null, service: 'agency-system' });
      expect(root.attributes).toContainEqual({ key: 'http.method', value: 'GET' });
      expect(child).toMatchObject({ name: 'db query', kind: 'CLIENT', parentSpanId: root.spanId, status: 'ERROR', statusMessage: 'connection refused' });
      expect(child.durationMs).toBeCloseTo(3, 0);
      expect(child.events[0].name).toBe('exception');
      expect(child.events[0].attributes).toContainEqual({ key: 'exception.message', value: 'connection refused' });
      expect(new Date(child.startTime).getTime()).toBe(new Date(root.startTime).getTime() + 2);
    });
  }

  it('refuses what is not an OTLP trace export, and stores nothing of it', async () => {
    const before = await t.service.prisma.span.count();
    expect((await postTraces(t.otlpUrl, 'not json', 'application/json')).status).toBe(400);
    expect((await postTraces(t.otlpUrl, new Uint8Array([0x0a, 0xff, 0xff]), 'application/x-protobuf')).status).toBe(400);
    expect(
      (await postTraces(t.otlpUrl, JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'zz', spanId: '1' }] }] }] }), 'application/json'))
        .status,
    ).toBe(400);
    expect((await postTraces(t.otlpUrl, '{}', 'text/plain')).status).toBe(415);
    expect((await fetch(`${t.otlpUrl}/v1/traces`)).status).toBe(405);
    expect(await t.service.prisma.span.count()).toBe(before);
  });

  it('stores a span sent twice (an exporter retrying) once', async () => {
    const { traceId, spans } = await makeTrace('retrying-system');
    await postTraces(t.otlpUrl, protobufBody(spans), 'application/x-protobuf');
    await postTraces(t.otlpUrl, protobufBody(spans), 'application/x-protobuf');
    expect((await stored(traceId)).spans).toHaveLength(2);
  });
});

describe('what is never stored', () => {
  it('drops attributes named for secrets and masks tokens and refused values in any text', async () => {
    const { scrubSpan } = await import('../src/store/scrub.ts');
    const jwt = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLWJ5dGVz';
    const span = scrubSpan({
      traceId: '1'.repeat(32),
      spanId: '2'.repeat(16),
      parentSpanId: null,
      service: 's',
      name: 'op',
      kind: 1,
      startNs: 0n,
      endNs: 1n,
      status: 2,
      statusMessage: 'Variable "$input" got invalid value "Rahasia 1"; Value "Rahasia 1" does not exist in "Urgency" enum.',
      attributes: [
        { key: 'http.request.header.authorization', value: `Bearer ${jwt}` },
        { key: 'user.password', value: 'hunter2' },
        { key: 'document.subject', value: 'Rahasia 2' },
        { key: 'graphql.variables', value: '{"p":"x"}' },
        { key: 'url.full', value: `https://x/?access_token=${jwt}` },
        { key: 'messaging.destination.name', value: 'simpul.identity.graphql' },
      ],
      events: [
        { name: 'exception', timeUnixNano: '1', attributes: [{ key: 'exception.message', value: 'String cannot represent a non string value: "Rahasia 3"' }] },
      ],
    });
    const text = JSON.stringify({ ...span, startNs: 0, endNs: 0 });
    for (const secret of ['Rahasia', 'hunter2', jwt, '"x"']) expect(text).not.toContain(secret);
    expect(span.attributes.map((a) => a.key)).toEqual(['url.full', 'messaging.destination.name']);
    expect(span.statusMessage).toBe('Variable "$input" got invalid value [value]');
  });
});
