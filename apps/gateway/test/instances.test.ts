import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '@simpul/testing';
import { identityStandIn } from './stand-ins.ts';
import { startHarness, type TestService } from './harness.ts';

/**
 * Fault: a service instance dies (its NATS connection closes without draining, as when
 * the process crashes) while it holds requests. With a second instance in the queue
 * group the gateway sees the first gone and sends the query again, within the same
 * SERVICE_TIMEOUT_MS, and the answer comes from the second; with none, that service's
 * fields answer SERVICE_UNAVAILABLE at once and the rest of the response arrives.
 */
type Harness = Awaited<ReturnType<typeof startHarness>>;
let h: Harness;
const started: string[] = [];

/** A registry instance whose applications take a moment, recording which instance took each request. */
function registryInstance(label: string): TestService {
  return {
    service: 'registry',
    typeDefs: /* GraphQL */ `
      type Query { applications(first: Int): [Application!] }
      type Application { id: ID! name: String! owner: Agency! }
      type Agency @key(selectionSet: "{ code }") { code: String! }
    `,
    resolvers: {
      Query: {
        applications: async () => {
          started.push(label);
          await new Promise((r) => setTimeout(r, 300));
          return [{ id: '1', name: 'SIMPEG', owner: { code: 'AG-0' } }];
        },
      },
    },
  };
}

beforeAll(async () => {
  // The query held by the dying instance is sent again within this one timeout: leave it
  // room for that on a loaded machine (the instance is seen gone within two checks, a tenth each).
  h = await startHarness([identityStandIn], {
    GATEWAY_SERVICES: 'identity,registry',
    DISCOVERY_WAIT_MS: '200',
    DISCOVERY_RETRY_MS: '200',
    SERVICE_TIMEOUT_MS: '5000',
  });
});
afterAll(async () => {
  await h?.stop();
});

const QUERY = '{ applications { id name owner { name } } agencies { code } }';

describe('a service instance dies with requests in flight', () => {
  let a: Awaited<ReturnType<Harness['startInstance']>>;
  let b: Awaited<ReturnType<Harness['startInstance']>>;

  it('gives clients no error while another instance is in the queue group', { timeout: 120_000 }, async () => {
    a = await h.startInstance(registryInstance('a'));
    b = await h.startInstance(registryInstance('b'));
    for (let i = 0; i < 100 && h.gateway.registry.missing().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(h.gateway.registry.missing()).toEqual([]);

    started.length = 0;
    // Send waves of queries until instance a holds one (the queue group picks at random).
    const responses: ReturnType<typeof postGraphQL>[] = [];
    for (let wave = 0; wave < 20 && !started.includes('a'); wave++) {
      responses.push(...Array.from({ length: 6 }, () => postGraphQL(h.url, QUERY)));
      for (let i = 0; i < 20 && !started.includes('a'); i++) await new Promise((r) => setTimeout(r, 10));
    }
    expect(started).toContain('a');
    const heldByA = started.filter((s) => s === 'a').length;
    await a.die();

    const bodies = (await Promise.all(responses)).map((r) => r.body);
    console.info(
      `[observed] instance a died holding ${heldByA} of ${responses.length} requests; answers with errors: ${bodies.filter((b) => b.errors).length}`,
    );
    for (const body of bodies) {
      expect(body.errors).toBeUndefined();
      expect(body.data).toEqual({ applications: [{ id: '1', name: 'SIMPEG', owner: { name: 'Agency 0' } }], agencies: expect.any(Array) });
    }
  });

  it('answers SERVICE_UNAVAILABLE for that service’s fields when none is left, and the rest arrives', { timeout: 120_000 }, async () => {
    await b.die();
    const res = await postGraphQL<{ applications: unknown; agencies: { code: string }[] }>(h.url, QUERY);
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        path: ['applications'],
        message: expect.stringMatching(/registry service is unavailable: no instance is running/),
        extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE' }),
      }),
    ]);
    expect(res.body.data?.applications).toBeNull();
    expect(res.body.data?.agencies.map((a) => a.code)).toEqual(['AG-0', 'AG-1', 'AG-2', 'AG-3', 'AG-4']);
  });
});
