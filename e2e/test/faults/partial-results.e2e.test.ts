import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceName } from '@simpul/contracts';
import { postGraphQL, type GraphQLResponse, type StartedProcess } from '@simpul/testing';
import { startPlatform, type Platform } from '../platform.ts';

/**
 * Issue 16, item 9: with registry paused, the README's example query answered
 * `data: null`, losing identity's and personnel's parts, because the root lists were
 * non-null. Here every service runs as a real process behind the gateway; each is stopped
 * in turn, and one query that spans all four (roots of each service, and merged fields
 * that cross from one to another) must still bring every other service's part.
 * Identity loads its demo agencies, so each merged Agency field is asked eleven times.
 */
const TIMEOUT_MS = 3_000;
/** The services whose parts the query asks for (the telemetry service is not part of it). */
const FOUR = ['identity', 'personnel', 'documents', 'registry'] as const satisfies readonly ServiceName[];
type Four = (typeof FOUR)[number];
let platform: Platform;
let token: string;

beforeAll(async () => {
  platform = await startPlatform(
    { SERVICE_TIMEOUT_MS: String(TIMEOUT_MS) },
    { services: [...FOUR], serviceEnv: (service) => (service === 'identity' ? { SIMPUL_DEMO: 'true' } : {}) },
  );
  const login = await postGraphQL<{ login: { token: string } }>(platform.url, 'mutation ($p: String!) { login(username: "admin", password: $p) { token } }', {
    p: platform.adminPassword,
  });
  token = login.body.data!.login.token;
}, 300_000);
afterAll(async () => {
  await platform?.stop();
});

const MIXED = `{
  me { username agency { code name } }
  agencies { code name applications { name } employees(first: 1) { totalCount } }
  employees(first: 5) { totalCount edges { node { nip agency { name } documents(first: 1) { totalCount } } } }
  documents(first: 5) { totalCount }
  applications(first: 5) { totalCount edges { node { name owner { name } } } }
  duplicateClusters { id }
}`;

/** The root fields each service answers in MIXED, and the merged fields it adds to another's objects. */
const OWNED: Record<Four, { roots: string[]; agencyFields: string[] }> = {
  identity: { roots: ['me', 'agencies'], agencyFields: ['code', 'name'] },
  personnel: { roots: ['employees'], agencyFields: ['employees'] },
  documents: { roots: ['documents'], agencyFields: [] },
  registry: { roots: ['applications', 'duplicateClusters'], agencyFields: ['applications'] },
};

type Mixed = Record<string, unknown> & { agencies?: Record<string, unknown>[] | null };

async function ask(): Promise<GraphQLResponse<Mixed>> {
  return (await postGraphQL<Mixed>(platform.url, MIXED, {}, token)).body;
}

const others = (stopped: Four) => FOUR.filter((s) => s !== stopped);

describe('a query across every service while one of them is stopped (issue 16, item 9)', () => {
  it('with every service up, every part arrives', async () => {
    const response = await ask();
    expect(response.errors).toBeUndefined();
    for (const { roots } of Object.values(OWNED)) for (const root of roots) expect([root, response.data?.[root]]).not.toEqual([root, null]);
    expect(response.data?.agencies?.length).toBeGreaterThanOrEqual(11);
  });

  it.each([...FOUR])('%s stopped: the other services’ parts arrive, its own fields say SERVICE_UNAVAILABLE', { timeout: 240_000 }, async (stopped) => {
    const original = platform.services.get(stopped) as StartedProcess;
    await original.stop();
    let response: GraphQLResponse<Mixed>;
    try {
      response = await ask();
    } finally {
      const restarted = platform.startInstance(stopped);
      await restarted.waitFor(new RegExp(`${stopped} started`), 120_000);
      (platform.services as Map<ServiceName, StartedProcess>).set(stopped, restarted);
    }
    console.info(
      `[observed] ${stopped} stopped: data roots ${JSON.stringify(Object.fromEntries(Object.entries(response.data ?? {}).map(([k, v]) => [k, v === null ? null : 'present'])))}, error codes ${JSON.stringify([...new Set(response.errors?.map((e) => e.extensions?.code))])}`,
    );

    expect(response.data).not.toBeNull();
    // Its own roots are null, with SERVICE_UNAVAILABLE; no other code appears.
    for (const root of OWNED[stopped].roots) expect([root, response.data?.[root]]).toEqual([root, null]);
    expect(new Set(response.errors?.map((e) => e.extensions?.code))).toEqual(new Set(['SERVICE_UNAVAILABLE']));
    // Every other service's roots arrive.
    for (const service of others(stopped)) {
      for (const root of OWNED[service].roots) expect([root, response.data?.[root]]).not.toEqual([root, null]);
    }
    // Merged fields: while identity answers, each agency keeps the fields of the services still up, and only the stopped one's are null.
    if (stopped !== 'identity') {
      const agencies = response.data?.agencies ?? [];
      expect(agencies.length).toBeGreaterThanOrEqual(11);
      for (const agency of agencies) {
        for (const field of OWNED[stopped].agencyFields) expect([agency.code, field, agency[field]]).toEqual([agency.code, field, null]);
        for (const service of others(stopped)) {
          for (const field of OWNED[service].agencyFields) expect([agency.code, field, agency[field]]).not.toEqual([agency.code, field, null]);
        }
      }
    }
  });

  it('after every restart, every part arrives again', async () => {
    const deadline = Date.now() + 60_000;
    let response = await ask();
    while (response.errors && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      response = await ask();
    }
    expect(response.errors).toBeUndefined();
  });
});
