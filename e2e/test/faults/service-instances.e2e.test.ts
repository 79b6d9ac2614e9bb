import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { subjectsFor } from '@simpul/contracts';
import { connectTestBus, postGraphQL, queryDatabase, testNatsUrl, type StartedProcess } from '@simpul/testing';
import { startPlatform, type Platform } from '../platform.ts';

/**
 * Faults in service instances, with real processes: identity (several instances in its
 * queue group) and the gateway, on the shared NATS and PostgreSQL.
 *  1. One of two instances is killed (SIGKILL) while a steady load of queries runs.
 *  2. The last instance is killed; then a new one starts.
 *  3. An instance is stopped (SIGTERM) while a request is in flight in it.
 */
const TIMEOUT_MS = 3_000;
let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform({ SERVICE_TIMEOUT_MS: String(TIMEOUT_MS), SIMPUL_DEMO: 'true' }, { services: ['identity'] });
});
afterAll(async () => {
  await platform?.stop();
});

const QUERY = '{ agencies { code name units { code name } children { code } } }';

async function ready(): Promise<{ status: number; body: { ready: boolean; services: Record<string, string> } }> {
  const res = await fetch(`${platform.url}/ready`);
  return { status: res.status, body: (await res.json()) as { ready: boolean; services: Record<string, string> } };
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const started: StartedProcess[] = [];
async function startInstance(): Promise<StartedProcess> {
  const instance = platform.startInstance('identity');
  started.push(instance);
  await instance.waitFor(/identity started/, 90_000);
  return instance;
}

function kill(instance: StartedProcess): Promise<number | null> {
  process.kill(-instance.child.pid!, 'SIGKILL');
  return instance.exited;
}

interface Outcome {
  status: number;
  errors: unknown;
  ms: number;
}

describe('a service instance dies with requests in flight', () => {
  let second: StartedProcess;

  it('costs the clients no error while another instance is in the queue group', { timeout: 180_000 }, async () => {
    second = await startInstance();
    // Every GraphQL request that reaches identity: one per query, plus each one sent again.
    const bus = await connectTestBus(testNatsUrl());
    let sent = 0;
    bus.subscribe(subjectsFor(platform.namespace).graphql('identity'), { callback: () => void sent++ });
    await bus.flush();
    const outcomes: Outcome[] = [];
    let stop = false;
    const loops = Array.from({ length: 6 }, async () => {
      while (!stop) {
        const started = Date.now();
        const res = await postGraphQL<{ agencies: unknown[] }>(platform.url, QUERY);
        outcomes.push({ status: res.status, errors: res.body.errors ?? null, ms: Date.now() - started });
      }
    });
    await eventually(async () => outcomes.length >= 100, 'load running');
    const atKill = outcomes.length;
    await kill(platform.identity);
    await eventually(async () => outcomes.length >= atKill + 200, 'load after the kill');
    stop = true;
    await Promise.all(loops);
    await bus.flush();
    await bus.close();

    // A query held by the killed instance is sent again once the gateway sees that instance
    // gone, within the same SERVICE_TIMEOUT_MS: no client gets an error.
    const failed = outcomes.filter((o) => o.status !== 200 || o.errors);
    console.info(
      `[observed] ${outcomes.length} queries, SIGKILL after ${atKill}; ${failed.length} failed; ` +
        `${sent - outcomes.length} sent again (held by the killed instance); slowest ${Math.max(...outcomes.map((o) => o.ms))} ms (timeout ${TIMEOUT_MS} ms)`,
    );
    expect(failed).toEqual([]);
  });

  it('answers SERVICE_UNAVAILABLE at once when no instance is left, and recovers when one starts', { timeout: 180_000 }, async () => {
    await kill(second);
    const res = await postGraphQL(platform.url, '{ agencies { code } }');
    expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(res.body.errors?.[0]?.message).toMatch(/no instance is running/);
    const notReady = await ready();
    expect(notReady.status).toBe(503);
    expect(notReady.body.services.identity).toBe('not running');

    await startInstance();
    await eventually(async () => (await ready()).status === 200, 'ready again');
    const again = await postGraphQL<{ agencies: unknown[] }>(platform.url, '{ agencies { code } }');
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data?.agencies.length).toBeGreaterThan(1);
  });
});

describe('graceful shutdown', () => {
  it('finishes the request in flight, drains, and leaves the outbox to be published once', { timeout: 180_000 }, async () => {
    const running = started.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    expect(running).toHaveLength(1);
    const only = running[0];
    const login = await postGraphQL<{ login: { token: string } }>(platform.url, 'mutation ($p: String!) { login(username: "admin", password: $p) { token } }', {
      p: platform.adminPassword,
    });
    const token = login.body.data!.login.token;
    const database = platform.databaseUrls.get('identity')!;

    // Changes that write events, right before the stop: their events may still be in the outbox.
    const codes = Array.from({ length: 5 }, (_, i) => `KAB-SHUTDOWN-${i}`);
    for (const code of codes) {
      const created = await postGraphQL(
        platform.url,
        `mutation { createAgency(input: { code: "${code}", name: "Uji ${code}", kind: CITY }) { code } }`,
        {},
        token,
      );
      expect(created.body.errors).toBeUndefined();
    }
    // A request in flight: a failed login records the failure, then waits (the login throttle) before answering.
    const before = await failedLogins(database);
    const inFlight = postGraphQL(platform.url, 'mutation { login(username: "admin", password: "wrong-password!") { token } }');
    await eventually(async () => (await failedLogins(database)) > before, 'the login to be in flight');
    only!.child.kill('SIGTERM');

    const answer = await inFlight;
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED'); // answered, not SERVICE_UNAVAILABLE
    expect(await only!.exited).toBe(0);
    expect(only!.output()).toMatch(/shutting down/);

    // The outbox: exactly one event per new agency, nothing half-written.
    const rows = await queryDatabase<{ code: string; n: string }>(
      database,
      `SELECT payload->'data'->>'code' AS code, count(*) AS n FROM "OutboxEvent" WHERE type = 'identity.agency.created' AND payload->'data'->>'code' = ANY($1) GROUP BY 1 ORDER BY 1`,
      [codes],
    );
    expect(rows.map((r) => [r.code, Number(r.n)])).toEqual(codes.map((c) => [c, 1]));

    // A new instance publishes whatever was left; the stream holds each event once.
    await startInstance();
    await eventually(
      async () => (await queryDatabase(database, 'SELECT 1 FROM "OutboxEvent" WHERE "publishedAt" IS NULL')).length === 0,
      'the outbox to be published',
    );
    const [counted] = await queryDatabase<{ n: string }>(database, `SELECT count(*) AS n FROM "OutboxEvent" WHERE type = 'identity.agency.created'`);
    const written = Number(counted?.n);
    const subjects = subjectsFor(platform.namespace);
    const nc = await connectTestBus(testNatsUrl());
    try {
      const subject = subjects.event('identity', 'agency', 'created');
      const info = await (await jetstreamManager(nc)).streams.info(subjects.eventStream, { subjects_filter: subject });
      console.info(`[observed] ${written} agency.created events written through the outbox; ${info.state.subjects?.[subject]} in the stream`);
      expect(info.state.subjects?.[subject]).toBe(written);
    } finally {
      await nc.close();
    }
  });
});

async function failedLogins(database: string): Promise<number> {
  const [row] = await queryDatabase<{ failedLogins: number }>(database, `SELECT "failedLogins" FROM "User" WHERE username = 'admin'`);
  return row?.failedLogins ?? 0;
}
