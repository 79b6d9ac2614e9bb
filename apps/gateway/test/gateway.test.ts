import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '@simpul/testing';
import { startHarness } from './harness.ts';
import { identityStandIn, registryStandIn } from './stand-ins.ts';

let h: Awaited<ReturnType<typeof startHarness>>;

beforeAll(async () => {
  h = await startHarness([identityStandIn, registryStandIn]);
});
afterAll(async () => {
  await h?.stop();
});

function countRequests<T>(fn: () => Promise<T>): Promise<{ result: T; requests: string[] }> {
  const start = h.requests.length;
  return fn().then((result) => ({ result, requests: h.requests.slice(start) }));
}

describe('GraphQL over HTTP', () => {
  it('answers POST with application/graphql-response+json', async () => {
    const res = await postGraphQL(h.url, '{ health }');
    expect(res.status).toBe(200);
    expect(res.contentType).toContain('application/graphql-response+json');
    expect(res.body).toEqual({ data: { health: 'ok' } });
  });

  it('answers GET queries and refuses mutations over GET', async () => {
    const get = await fetch(`${h.url}/graphql?query=${encodeURIComponent('{ health }')}`, {
      headers: { accept: 'application/graphql-response+json' },
    });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ data: { health: 'ok' } });
    const mutation = await fetch(`${h.url}/graphql?query=${encodeURIComponent('mutation { rename(code: "AG-1", name: "x") { name } }')}`, {
      headers: { accept: 'application/graphql-response+json' },
    });
    expect(mutation.status).toBe(405);
  });

  it('serves GraphiQL to browsers with its files from our own server, not a CDN', async () => {
    const res = await fetch(`${h.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('/graphiql/yoga-graphiql.umd.js');
    expect(html).not.toMatch(/https?:\/\//);
    const script = await fetch(`${h.url}/graphiql/yoga-graphiql.umd.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect((await script.text()).length).toBeGreaterThan(100_000);
    const worker = await fetch(`${h.url}/graphiql/monacoeditorwork/graphql.worker..bundle.js`);
    expect(worker.status).toBe(200);
    await worker.arrayBuffer();
    const css = await fetch(`${h.url}/graphiql/graphiql.css`);
    expect(css.headers.get('content-type')).toContain('text/css');
    await css.arrayBuffer();
    expect((await fetch(`${h.url}/graphiql/..%2F..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${h.url}/graphiql/nope.js`)).status).toBe(404);
  });

  it('serves /health, /ready and the JWKS', async () => {
    expect((await fetch(`${h.url}/health`)).status).toBe(200);
    const ready = await fetch(`${h.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, nats: 'connected', services: { identity: 'ok', registry: 'ok' } });
    const jwks = (await (await fetch(`${h.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([h.key.kid]);
  });

  it('refuses a body over the size limit with 413', async () => {
    const res = await postGraphQL(h.url, `{ health } # ${'x'.repeat(200_000)}`);
    expect(res.status).toBe(413);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a chunked body, which has no Content-Length to check the limit against, with 411', async () => {
    const url = new URL(h.url);
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: '/graphql',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (r) => {
          let body = '';
          r.on('data', (c: Buffer) => (body += c.toString()));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      // 5 MB, fifty times MAX_BODY_BYTES, in chunks.
      req.write('{"query":"{ health }","extensions":{"x":"');
      for (let i = 0; i < 50; i++) req.write('x'.repeat(100_000));
      req.end('"}}');
    });
    expect(res.status).toBe(411);
    expect(JSON.parse(res.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('stitching across services', () => {
  it('joins 100 applications to their owner agencies in one request per service', async () => {
    const { result, requests } = await countRequests(() =>
      postGraphQL<{ applications: { name: string; owner: { code: string; name: string } }[] }>(
        h.url,
        '{ applications(first: 100) { name owner { code name } } }',
      ),
    );
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data?.applications).toHaveLength(100);
    expect(result.body.data?.applications[42]).toEqual({ name: 'App 42', owner: { code: 'AG-42', name: 'Agency 42' } });
    expect(requests.sort()).toEqual(['identity', 'registry']);
  });

  it('sends an operation one service can answer to it unchanged, in one request', async () => {
    const { result, requests } = await countRequests(() => postGraphQL(h.url, '{ agencies { code parent { code } } }'));
    expect(result.body.data).toEqual({
      agencies: [
        { code: 'AG-0', parent: null },
        { code: 'AG-1', parent: { code: 'AG-0' } },
        { code: 'AG-2', parent: { code: 'AG-1' } },
        { code: 'AG-3', parent: { code: 'AG-2' } },
        { code: 'AG-4', parent: { code: 'AG-3' } },
      ],
    });
    expect(requests).toEqual(['identity']);
  });

  it("adds another service's fields to a type, and hides the merge-only entry points from clients", async () => {
    const { result, requests } = await countRequests(() =>
      postGraphQL<{ agencies: { code: string; applicationCount: number }[] }>(h.url, '{ agencies { code applicationCount } }'),
    );
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data?.agencies.map((a) => a.applicationCount)).toEqual([0, 1, 2, 3, 4]);
    expect(requests.sort()).toEqual(['identity', 'registry']);

    const direct = await postGraphQL(h.url, '{ _registryAgencies(codes: ["AG-1"]) { code } }');
    expect(direct.body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
    const introspected = await postGraphQL<{ __schema: { queryType: { fields: { name: string }[] } } }>(
      h.url,
      '{ __schema { queryType { fields { name } } } }',
    );
    expect(introspected.body.data?.__schema.queryType.fields.map((f) => f.name)).not.toContain('_registryAgencies');
  });

  it("a merged lookup that refuses one item: that item is null with the service's code, the rest arrive", async () => {
    const res = await postGraphQL<{ applications: { name: string; sponsor: { code: string; name: string } | null }[] }>(
      h.url,
      '{ applications(first: 20) { name sponsor { code name } } }',
    );
    expect(res.body.data?.applications[12]?.sponsor).toEqual({ code: 'AG-12', name: 'Agency 12' });
    expect(res.body.data?.applications[13]?.sponsor).toBeNull();
    expect(res.body.data?.applications[14]?.sponsor).toEqual({ code: 'AG-14', name: 'Agency 14' });
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0]).toMatchObject({ path: ['applications', 13, 'sponsor', 'name'], extensions: { code: 'FORBIDDEN' } });
  });

  it('describes the stitched graph, not one service, on introspection', async () => {
    const res = await postGraphQL<{ __schema: { queryType: { fields: { name: string }[] } } }>(h.url, '{ __schema { queryType { fields { name } } } }');
    const fields = res.body.data?.__schema.queryType.fields.map((f) => f.name);
    expect(fields).toEqual(expect.arrayContaining(['agencies', 'applications', 'me']));
  });

  it('answers SERVICE_UNAVAILABLE on a slow service’s fields and still returns the rest', async () => {
    const { result: res, requests } = await countRequests(() => postGraphQL<{ slow: string | null; agencies: unknown[] }>(h.url, '{ slow agencies { code } }'));
    // The busy service was asked once: a query that is only slow is not sent again.
    expect(requests.filter((s) => s === 'registry')).toHaveLength(1);
    expect(res.status).toBe(200);
    expect(res.body.data?.agencies).toHaveLength(5);
    expect(res.body.data?.slow).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0]).toMatchObject({ path: ['slow'], extensions: { code: 'SERVICE_UNAVAILABLE' } });
  });
});

describe('tokens', () => {
  it('forwards a valid token so the service knows the caller', async () => {
    const token = await h.key.sign({ username: '198503302010011002', agency: 'BKN' });
    const res = await postGraphQL(h.url, '{ me { username agencyCode } }', {}, token);
    expect(res.body).toEqual({ data: { me: { username: '198503302010011002', agencyCode: 'BKN' } } });
  });

  it('lets the service decide permissions', async () => {
    const employee = await h.key.sign({ roles: ['EMPLOYEE'] });
    const res = await postGraphQL(h.url, '{ adminOnly }', {}, employee);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a token signed by another key under the same key id', async () => {
    const { createSigningKey } = await import('./harness.ts');
    const forger = await createSigningKey(h.key.kid);
    const res = await postGraphQL(h.url, '{ me { username } }', {}, await forger.sign());
    expect(res.status).toBe(401);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an expired token and says so', async () => {
    const expired = await h.key.sign({}, Math.floor(Date.now() / 1000) - 60);
    const res = await postGraphQL(h.url, '{ me { username } }', {}, expired);
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.message).toMatch(/expired/i);
  });

  it('refuses a malformed authorization header', async () => {
    const res = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic abc' },
      body: JSON.stringify({ query: '{ health }' }),
    });
    expect(res.status).toBe(401);
  });

  it('refuses a request put on the bus without a valid token, even bypassing the gateway', async () => {
    const { requestService } = await import('@simpul/testing');
    const res = await requestService(h.serviceConnection, h.subjects, 'identity', '{ me { username } }', {}, 'not-a-token');
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('errors', () => {
  it('masks unexpected errors and keeps their details out of the response', async () => {
    const res = await postGraphQL(h.url, '{ boom health }');
    expect(res.body.data).toEqual({ boom: null, health: 'ok' });
    expect(res.body.errors?.[0]).toMatchObject({ message: 'Unexpected error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(res.body)).not.toContain('secret');
  });

  it('codes validation and parse errors', async () => {
    const invalid = await postGraphQL(h.url, '{ nope }');
    expect(invalid.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const broken = await postGraphQL(h.url, '{ health');
    expect(broken.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });
});

describe('limits against abusive queries (defaults)', () => {
  const deep = (n: number) => `{ agency(code: "AG-50") { ${'parent { '.repeat(n)}code${' }'.repeat(n)} } }`;

  it('accepts a query at the depth limit and refuses one past it, without asking any service', async () => {
    expect((await postGraphQL(h.url, deep(8))).body.errors).toBeUndefined();
    const { result, requests } = await countRequests(() => postGraphQL(h.url, deep(12)));
    expect(result.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(result.body.data).toBeUndefined();
    expect(requests).toEqual([]);
  });

  it('refuses too many aliases', async () => {
    const query = `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: health`).join(' ')} }`;
    const res = await postGraphQL(h.url, query);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('refuses too many tokens', async () => {
    const query = `{ agencies { ${'code '.repeat(1_200)} } }`;
    const res = await postGraphQL(h.url, query);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });
});

describe('limits are configurable', () => {
  let strict: Awaited<ReturnType<typeof startHarness>>;
  beforeAll(async () => {
    strict = await startHarness([identityStandIn], { MAX_DEPTH: '2', MAX_ALIASES: '1', MAX_TOKENS: '30', MAX_COST: '12', MAX_DIRECTIVES: '1' });
  });
  afterAll(async () => {
    await strict?.stop();
  });

  it.each([
    ['depth', '{ agency(code: "AG-3") { parent { code } } }', /depth limit of 2/],
    ['aliases', '{ a: health b: health }', /aliases limit of 1/i],
    ['tokens', `{ agencies { ${'code '.repeat(40)} } }`, /token limit of 30/i],
    ['cost', '{ agencies { code name } agency(code: "AG-1") { code name } me { username agencyCode } }', /cost limit of 12/i],
    ['directives', '{ health @skip(if: false) @include(if: true) }', /directives limit of 1/i],
  ])('applies the configured %s limit', async (_name, query, message) => {
    const res = await postGraphQL(strict.url, query);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.every((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX')).toBe(true);
    expect(res.body.errors?.map((e) => e.message).join('\n')).toMatch(message);
  });

  it('still answers what is within the limits', async () => {
    expect((await postGraphQL(strict.url, '{ health }')).body).toEqual({ data: { health: 'ok' } });
  });
});

describe('the single-service route is only a shortcut', () => {
  let stitchedOnly: Awaited<ReturnType<typeof startHarness>>;
  beforeAll(async () => {
    stitchedOnly = await startHarness([identityStandIn, registryStandIn], { SINGLE_SERVICE_ROUTE: 'false' });
  });
  afterAll(async () => {
    await stitchedOnly?.stop();
  });

  it.each(['{ agencies { code parent { code } } }', '{ boom health }', '{ agency(code: "AG-7") { name parent { name } } }'])(
    'gives the same answer through stitching for %s',
    async (query) => {
      const direct = await postGraphQL(h.url, query);
      const stitched = await postGraphQL(stitchedOnly.url, query);
      expect(stitched.body).toEqual(direct.body);
    },
  );
});

describe('a service that starts after the gateway', () => {
  it('is picked up without a restart, and /ready says what is missing until then', async () => {
    const late = await startHarness([identityStandIn], { GATEWAY_SERVICES: 'identity,registry', DISCOVERY_WAIT_MS: '200', DISCOVERY_RETRY_MS: '200' });
    try {
      const before = await fetch(`${late.url}/ready`);
      expect(before.status).toBe(503);
      expect(await before.json()).toMatchObject({ ready: false, services: { identity: 'ok', registry: 'not running' }, undiscovered: ['registry'] });
      const missing = await postGraphQL(late.url, '{ applications(first: 1) { name } }');
      expect(missing.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect((await postGraphQL(late.url, '{ health }')).body).toEqual({ data: { health: 'ok' } });

      const stop = await late.startService(registryStandIn);
      try {
        const deadline = Date.now() + 10_000;
        let res = await postGraphQL<{ applications: { name: string; owner: { name: string } }[] }>(
          late.url,
          '{ applications(first: 1) { name owner { name } } }',
        );
        while (res.body.errors && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
          res = await postGraphQL(late.url, '{ applications(first: 1) { name owner { name } } }');
        }
        expect(res.body).toEqual({ data: { applications: [{ name: 'App 0', owner: { name: 'Agency 0' } }] } });
        expect((await fetch(`${late.url}/ready`)).status).toBe(200);
      } finally {
        await stop();
      }
    } finally {
      await late.stop();
    }
  });
});

describe('graceful shutdown', () => {
  it('lets a request in flight finish, and does not wait for a client that stopped reading', async () => {
    const { connect } = await import('node:net');
    const g = await startHarness([identityStandIn, registryStandIn], { SERVICE_TIMEOUT_MS: '5000' });
    // A client that asks for a large file and never reads it.
    const stalled = connect(Number(new URL(g.url).port), '127.0.0.1');
    stalled.pause();
    stalled.write('GET /graphiql/yoga-graphiql.umd.js HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((r) => setTimeout(r, 200));

    const inFlight = postGraphQL<{ slow: string }>(g.url, '{ slow }');
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await g.gateway.close();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await inFlight).body).toEqual({ data: { slow: 'late' } });
    stalled.destroy();
    await g.stop();
  });
});
