import { afterAll, beforeAll, expect, it } from 'vitest';
import { postGraphQL } from '@simpul/testing';
import { startCollector, type CollectedSpan } from './otlp-collector.ts';
import { startPlatform, type Platform } from './platform.ts';

let platform: Platform;
let collector: Awaited<ReturnType<typeof startCollector>>;

beforeAll(async () => {
  collector = await startCollector();
  platform = await startPlatform({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint });
});
afterAll(async () => {
  await platform?.stop();
  await collector?.close();
});

async function waitForSpans(predicate: (spans: CollectedSpan[]) => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate(collector.spans)) {
    if (Date.now() > deadline) throw new Error(`spans never arrived: ${JSON.stringify(collector.spans.map((s) => `${s.service}:${s.name}`))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

it('one `me` request is one trace, from the gateway’s HTTP span to identity’s database queries', async () => {
  const login = await postGraphQL<{ login: { token: string } }>(
    platform.url,
    'mutation { login(username: "admin", password: $p) { token } }'.replace('$p', JSON.stringify(platform.adminPassword)),
  );
  const token = login.body.data!.login.token;

  // A caller-supplied traceparent is continued, so a browser's trace joins ours.
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const res = await fetch(`${platform.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    },
    body: JSON.stringify({ query: 'query Me { me { username agency { name } } }' }),
  });
  expect(((await res.json()) as { data: { me: { username: string } } }).data.me.username).toBe('admin');

  const inTrace = () => collector.spans.filter((s) => s.traceId === traceId);
  await waitForSpans(
    () =>
      inTrace().some((s) => s.service === 'identity' && s.name.startsWith('prisma:client:db_query')) && inTrace().some((s) => s.name.startsWith('HTTP POST')),
  );

  const spans = inTrace();
  const names = spans.map((s) => `${s.service}: ${s.name}`);
  // Every hop is there…
  expect(names).toEqual(
    expect.arrayContaining([
      'gateway: HTTP POST /graphql',
      'gateway: graphql Me',
      'gateway: nats request simpul.identity.graphql'.replace('simpul', platform.namespace),
      'identity: identity graphql Me',
    ]),
  );
  expect(spans.some((s) => s.service === 'identity' && s.name === 'prisma:client:operation')).toBe(true);

  // …and linked: the HTTP span continues the caller's span; every other span's parent is in this trace.
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const http = spans.find((s) => s.name === 'HTTP POST /graphql')!;
  expect(http.parentSpanId).toBe('00f067aa0ba902b7');
  for (const span of spans.filter((s) => s !== http)) {
    expect(byId.has(span.parentSpanId), `${span.service}: ${span.name} has a parent in the trace`).toBe(true);
  }
  const parentOf = (name: string) => byId.get(spans.find((s) => s.name === name)!.parentSpanId)?.name;
  expect(parentOf('graphql Me')).toBe('HTTP POST /graphql');
  expect(parentOf(`nats request ${platform.namespace}.identity.graphql`)).toBe('graphql Me');
  expect(parentOf('identity graphql Me')).toBe(`nats request ${platform.namespace}.identity.graphql`);
  // Prisma's spans hang under identity's GraphQL execution.
  const dbQuery = spans.find((s) => s.name.startsWith('prisma:client:db_query'))!;
  let ancestor: CollectedSpan | undefined = dbQuery;
  while (ancestor && ancestor.name !== 'identity graphql Me') ancestor = byId.get(ancestor.parentSpanId);
  expect(ancestor?.service).toBe('identity');
});
