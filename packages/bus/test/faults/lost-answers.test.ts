import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { Empty, headers as natsHeaders, type Msg } from '@nats-io/nats-core';
import { ACKNOWLEDGE_HEADER, INSTANCE_HEADER, subjectsFor, type Subjects } from '@simpul/contracts';
import { createLogger, type Principal, type TokenVerifier } from '@simpul/kit';
import { startTcpProxy, testNatsUrl, uniqueNamespace } from '@simpul/testing';
import { connectBus, type NatsConnection } from '../../src/connection.ts';
import { createNatsExecutor } from '../../src/graphql-executor.ts';
import { serveGraphQL, type GraphQLResponder } from '../../src/graphql-responder.ts';

/**
 * When the NATS executor sends a query again, and when it must not. The rule: one
 * SERVICE_TIMEOUT_MS in total, and a second send only when the answer can no longer
 * come. Faults: a busy instance (alive, slow), an instance that dies holding the query
 * (acknowledged or not yet), and the executor's own NATS connection cut and restored.
 */
const logger = createLogger('fault-test', 'silent');
/**
 * Longer than the test may run: where a query must be sent again, the answer has to come
 * from a send made because the answer was known to be lost, not from waiting the
 * timeout out (a test that waited for it would fail by its own time limit).
 */
const LONGER_THAN_THE_TEST_MS = 300_000;
const verifier: TokenVerifier = { verify: async () => ({}) as Principal, invalidate: () => {} };
const connections: NatsConnection[] = [];
const responders: GraphQLResponder[] = [];
const releases: (() => void)[] = [];

async function connect(name: string, url = testNatsUrl()): Promise<NatsConnection> {
  const nc = await connectBus({ url, name });
  connections.push(nc);
  return nc;
}

/** A registry instance on a connection of its own; `stall` waits until `release()` (or forever). */
async function instance(subjects: Subjects, label: string) {
  const nc = await connect(`registry-${label}`);
  const received: string[] = [];
  let release = () => {};
  const released = new Promise<void>((r) => (release = r));
  releases.push(() => release());
  const schema = makeExecutableSchema({
    typeDefs: 'type Query { who: String! stall: String! } type Mutation { stallWrite: String! }',
    resolvers: {
      Query: {
        who: () => label,
        stall: async () => {
          received.push('stall');
          await released;
          return label;
        },
      },
      Mutation: {
        stallWrite: async () => {
          received.push('stallWrite');
          await released;
          return label;
        },
      },
    },
  });
  const responder = serveGraphQL({ nc, subjects, service: 'registry', schema, verifier, createContext: () => ({}), logger });
  responders.push(responder);
  await nc.flush();
  return { nc, received, release, die: () => nc.close() };
}

/** Counts every GraphQL request that reaches the service's subject, whoever takes it. */
async function countRequests(subjects: Subjects) {
  const nc = await connect('counter');
  const seen: Msg[] = [];
  nc.subscribe(subjects.graphql('registry'), { callback: (_e, msg) => void seen.push(msg) });
  await nc.flush();
  return seen;
}

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let executorConnection: NatsConnection;
beforeAll(async () => {
  executorConnection = await connect('gateway');
});
afterAll(async () => {
  for (const release of releases) release();
  await Promise.allSettled(responders.map((r) => r.stop()));
  await Promise.allSettled(connections.map((c) => c.close()));
});

describe('a busy service is asked once', () => {
  it('answers SERVICE_UNAVAILABLE after one timeout in total, and the busy instance received the query once', { timeout: 60_000 }, async () => {
    const subjects = subjectsFor(uniqueNamespace());
    const busy = await instance(subjects, 'busy');
    const seen = await countRequests(subjects);
    const timeoutMs = 1_000;
    const execute = createNatsExecutor({ nc: executorConnection, subjects, service: 'registry', timeoutMs });

    const started = Date.now();
    const result = await execute({ document: parse('{ stall }') });
    const elapsed = Date.now() - started;
    expect(result.errors?.[0]).toMatchObject({ message: expect.stringMatching(/did not answer in time/), extensions: { code: 'SERVICE_UNAVAILABLE' } });
    // Long enough for a second send to have arrived, had there been one.
    await new Promise((r) => setTimeout(r, timeoutMs));
    console.info(`[observed] SERVICE_TIMEOUT_MS ${timeoutMs}: SERVICE_UNAVAILABLE after ${elapsed} ms; requests sent ${seen.length}`);
    expect(elapsed).toBeGreaterThanOrEqual(timeoutMs);
    expect(seen).toHaveLength(1);
    expect(busy.received).toEqual(['stall']);
    busy.release();
  });
});

/**
 * A hand-made registry instance on a connection of its own, answering its instance
 * subject like a real one; `take` decides what it does with each GraphQL request.
 */
async function handMadeInstance(subjects: Subjects, take: (msg: Msg, identified: { headers: ReturnType<typeof natsHeaders> }, n: number) => void) {
  const nc = await connect('registry-hand-made');
  const self = subjects.instance('registry', 'hand-made');
  nc.subscribe(self, { callback: (_e, msg) => void msg.respond() });
  const identified = { headers: natsHeaders() };
  identified.headers.set(INSTANCE_HEADER, self);
  let taken = 0;
  nc.subscribe(subjects.graphql('registry'), { queue: 'registry', callback: (_e, msg) => take(msg, identified, ++taken) });
  await nc.flush();
  return { taken: () => taken, die: () => nc.close() };
}

describe('an instance dies holding a query', () => {
  it('sends it again, within the same timeout, to an instance that is alive', { timeout: 60_000 }, async () => {
    const subjects = subjectsFor(uniqueNamespace());
    const doomed = await instance(subjects, 'doomed');
    const seen = await countRequests(subjects);
    const execute = createNatsExecutor({ nc: executorConnection, subjects, service: 'registry', timeoutMs: LONGER_THAN_THE_TEST_MS });
    expect(await execute({ document: parse('{ who }') })).toEqual({ data: { who: 'doomed' } });

    const pending = execute({ document: parse('{ stall }') });
    await until(() => doomed.received.length === 1, 'the doomed instance to take the query');
    await instance(subjects, 'survivor').then((s) => s.release());
    const started = Date.now();
    await doomed.die();
    const result = await pending;
    console.info(`[observed] answered ${Date.now() - started} ms after the instance died`);
    expect(result).toEqual({ data: { stall: 'survivor' } });
    expect(seen).toHaveLength(3);
  });

  it('sends it again when the instance that acknowledged it left', { timeout: 60_000 }, async () => {
    const subjects = subjectsFor(uniqueNamespace());
    const seen = await countRequests(subjects);
    // Acknowledges at once and never answers.
    const doomed = await handMadeInstance(subjects, (msg, identified) => {
      if (msg.headers?.has(ACKNOWLEDGE_HEADER)) msg.respond(Empty, identified);
    });
    const execute = createNatsExecutor({ nc: executorConnection, subjects, service: 'registry', timeoutMs: LONGER_THAN_THE_TEST_MS });
    const pending = execute({ document: parse('{ who }') });
    await until(() => doomed.taken() === 1, 'the doomed instance to take the query');
    await instance(subjects, 'survivor');
    await doomed.die();
    expect(await pending).toEqual({ data: { who: 'survivor' } });
    expect(seen).toHaveLength(2);
  });

  it('sends it again when an instance that was answering left before acknowledging it', { timeout: 60_000 }, async () => {
    const subjects = subjectsFor(uniqueNamespace());
    const seen = await countRequests(subjects);
    // Acknowledges and answers the first query, then takes the next and dies before
    // acknowledging it (as one that dies between taking a message and acting on it).
    const doomed = await handMadeInstance(subjects, (msg, identified, n) => {
      if (n > 1) return;
      if (msg.headers?.has(ACKNOWLEDGE_HEADER)) msg.respond(Empty, identified);
      msg.respond(JSON.stringify({ data: { who: 'doomed' } }));
    });
    const execute = createNatsExecutor({ nc: executorConnection, subjects, service: 'registry', timeoutMs: LONGER_THAN_THE_TEST_MS });
    expect(await execute({ document: parse('{ who }') })).toEqual({ data: { who: 'doomed' } });

    const pending = execute({ document: parse('{ who }') });
    await until(() => doomed.taken() === 2, 'the doomed instance to take the second query');
    await instance(subjects, 'survivor');
    await doomed.die();
    expect(await pending).toEqual({ data: { who: 'survivor' } });
    expect(seen).toHaveLength(3);
  });

  it('never sends a mutation again', { timeout: 60_000 }, async () => {
    const subjects = subjectsFor(uniqueNamespace());
    const doomed = await instance(subjects, 'doomed');
    const seen = await countRequests(subjects);
    const execute = createNatsExecutor({ nc: executorConnection, subjects, service: 'registry', timeoutMs: 1_000 });
    const pending = execute({ document: parse('mutation { stallWrite }') });
    await until(() => doomed.received.length === 1, 'the doomed instance to take the mutation');
    const survivor = await instance(subjects, 'survivor');
    await doomed.die();
    expect((await pending).errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(seen).toHaveLength(1);
    expect(survivor.received).toEqual([]);
  });
});

describe('the executor’s own NATS connection is cut and restored', () => {
  it('sends a query it was waiting for again once reconnected', { timeout: 60_000 }, async () => {
    const subjects = subjectsFor(uniqueNamespace());
    const seen = await countRequests(subjects);
    // Takes the first query and never answers: its answer is what the cut connection lost.
    const lostWith = await connect('registry-lost');
    let taken = 0;
    const sub = lostWith.subscribe(subjects.graphql('registry'), { queue: 'registry', callback: () => void taken++ });
    await lostWith.flush();

    const proxy = await startTcpProxy(Number(new URL(testNatsUrl()).port || 4222), new URL(testNatsUrl()).hostname);
    try {
      const viaProxy = await connect('gateway-via-proxy', `nats://127.0.0.1:${proxy.port}`);
      const execute = createNatsExecutor({ nc: viaProxy, subjects, service: 'registry', timeoutMs: LONGER_THAN_THE_TEST_MS });
      const pending = execute({ document: parse('{ who }') });
      await until(() => taken === 1, 'the query to be taken');
      sub.unsubscribe();
      await instance(subjects, 'survivor');
      proxy.cut();
      await new Promise((r) => setTimeout(r, 300));
      proxy.restore();
      expect(await pending).toEqual({ data: { who: 'survivor' } });
      expect(seen).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });
});
