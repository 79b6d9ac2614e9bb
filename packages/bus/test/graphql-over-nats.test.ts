import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { subjectsFor } from '@simpul/contracts';
import type { createTokenVerifier } from '@simpul/kit';
import { createLogger, forbidden, unauthenticated, type Principal } from '@simpul/kit';
import { connectTestBus, requestService, testNatsUrl, uniqueNamespace } from '@simpul/testing';
import { connectBus, BusUnavailableError } from '../src/connection.ts';
import { serveGraphQL, type GraphQLResponder } from '../src/graphql-responder.ts';
import { createNatsExecutor } from '../src/graphql-executor.ts';

const logger = createLogger('test', 'silent');
const subjects = subjectsFor(uniqueNamespace());
const typeDefs = 'type Query { whoami: String instance: String! slow: String boom: String denied: String }';
const baseResolvers = {
  whoami: (_: unknown, __: unknown, ctx: { principal: Principal | null }) => ctx.principal?.username ?? null,
  slow: () => new Promise((r) => setTimeout(() => r('late'), 500)),
  boom: () => {
    throw new Error('database password is hunter2');
  },
  denied: () => {
    throw forbidden('not yours');
  },
};
/** A schema whose `instance` field says which responder answered. */
const schemaFor = (instance: string) => makeExecutableSchema({ typeDefs, resolvers: { Query: { ...baseResolvers, instance: () => instance } } });
const schema = schemaFor('solo');
// Tokens in this test are "user:<name>"; the verifier is what is not under test here.
const verifier = {
  verify: async (token: string) => {
    if (!token.startsWith('user:')) throw unauthenticated('Token signature is invalid');
    return { id: '1', kind: 'user', username: token.slice(5), agencyCode: 'BKN', roles: [], token } as Principal;
  },
  invalidate: () => {},
} satisfies ReturnType<typeof createTokenVerifier>;

let nc: Awaited<ReturnType<typeof connectBus>>;
const responders: GraphQLResponder[] = [];

function start(instance: string) {
  const responder = serveGraphQL({
    nc,
    subjects,
    service: 'identity',
    schema: schemaFor(instance),
    verifier,
    createContext: (principal) => ({ principal }),
    logger,
  });
  responders.push(responder);
  return responder;
}

beforeAll(async () => {
  nc = await connectBus({ url: testNatsUrl(), name: 'bus-test' });
});
afterAll(async () => {
  await Promise.all(responders.map((r) => r.stop()));
  await nc.close();
});

describe('serveGraphQL', () => {
  it('answers a query with the verified caller in context', async () => {
    start('a');
    const client = await connectTestBus(testNatsUrl());
    expect(await requestService(client, subjects, 'identity', '{ whoami }', {}, 'user:198503302010011002')).toEqual({
      data: { whoami: '198503302010011002' },
    });
    expect(await requestService(client, subjects, 'identity', '{ whoami }')).toEqual({ data: { whoami: null } });
    await client.close();
  });

  it('refuses the whole request when the token does not verify', async () => {
    const res = await requestService(nc, subjects, 'identity', '{ whoami instance }', {}, 'forged');
    expect(res).toEqual({ errors: [{ message: 'Token signature is invalid', extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('answers malformed requests with BAD_USER_INPUT instead of crashing', async () => {
    const reply = await nc.request(subjects.graphql('identity'), 'not json', { timeout: 2_000 });
    expect(reply.json<{ errors: { extensions: { code: string } }[] }>().errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
    const noQuery = await nc.request(subjects.graphql('identity'), JSON.stringify({ variables: {} }), { timeout: 2_000 });
    expect(noQuery.json<{ errors: { message: string }[] }>().errors[0]!.message).toMatch(/query must be a string/);
  });

  it('codes parse and validation errors, keeps expected errors and masks the rest', async () => {
    expect((await requestService(nc, subjects, 'identity', '{ whoami')).errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect((await requestService(nc, subjects, 'identity', '{ nope }')).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const res = await requestService(nc, subjects, 'identity', '{ boom denied instance }');
    expect(res.data).toEqual({ boom: null, denied: null, instance: 'a' });
    expect(res.errors).toEqual([
      expect.objectContaining({ message: 'Unexpected error', path: ['boom'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
      expect.objectContaining({ message: 'not yours', path: ['denied'], extensions: { code: 'FORBIDDEN' } }),
    ]);
    expect(JSON.stringify(res)).not.toContain('hunter2');
  });

  it('answers in process as over NATS: the given caller in context, errors coded and masked, no NATS message', async () => {
    const ns = subjectsFor(uniqueNamespace());
    const responder = serveGraphQL({ nc, subjects: ns, service: 'identity', schema, verifier, createContext: (principal) => ({ principal }), logger });
    responders.push(responder);
    const caller = await verifier.verify('user:198503302010011002');
    expect(await responder.executeInProcess({ query: '{ whoami instance }' }, caller, { clientAddress: null })).toEqual({
      data: { whoami: '198503302010011002', instance: 'solo' },
    });
    expect(await responder.executeInProcess({ document: parse('query Q { whoami }'), operationName: 'Q' }, null, { clientAddress: null })).toEqual({
      data: { whoami: null },
    });
    expect((await responder.executeInProcess({ query: '{ nope }' }, null, { clientAddress: null })).errors?.[0]?.extensions?.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
    const failed = await responder.executeInProcess({ query: '{ boom }' }, null, { clientAddress: null });
    expect(failed.errors).toEqual([expect.objectContaining({ message: 'Unexpected error', path: ['boom'], extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
    expect(responder.handled).toBe(0);
  });

  it('answers its SDL and health', async () => {
    const sdl = await nc.request(subjects.sdl('identity'), '', { timeout: 2_000 });
    expect(sdl.string()).toContain('whoami: String');
    const health = await nc.request(subjects.health('identity'), '', { timeout: 2_000 });
    // It says which instance answered, for the telemetry service's list of instances.
    expect(health.json()).toEqual({
      status: 'ok',
      checks: {},
      instance: { id: expect.any(String), host: hostname(), pid: process.pid, startedAt: expect.any(String) },
    });
  });

  it('shares the load between instances in a queue group', async () => {
    start('b');
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const res = await requestService<{ instance: string }>(nc, subjects, 'identity', '{ instance }');
      seen.add(res.data!.instance);
    }
    expect(seen).toEqual(new Set(['a', 'b']));
  });

  it('finishes requests in flight when stopped', async () => {
    const ns = subjectsFor(uniqueNamespace());
    const responder = serveGraphQL({ nc, subjects: ns, service: 'identity', schema, verifier, createContext: (principal) => ({ principal }), logger });
    await nc.flush();
    const pending = requestService(nc, ns, 'identity', '{ slow }');
    await new Promise((r) => setTimeout(r, 100));
    await responder.stop();
    expect(await pending).toEqual({ data: { slow: 'late' } });
    expect(responder.handled).toBe(1);
  });
});

describe('createNatsExecutor', () => {
  it('sends the caller’s token and returns the service’s result', async () => {
    const execute = createNatsExecutor({ nc, subjects, service: 'identity', timeoutMs: 2_000 });
    const result = await execute({ document: parse('{ whoami }'), context: { token: 'user:admin' } });
    expect(result).toEqual({ data: { whoami: 'admin' } });
  });

  it('answers SERVICE_UNAVAILABLE when no instance listens', async () => {
    const execute = createNatsExecutor({ nc, subjects: subjectsFor(uniqueNamespace()), service: 'registry', timeoutMs: 2_000 });
    const result = await execute({ document: parse('{ anything }') });
    expect(result).toEqual({
      errors: [{ message: 'The registry service is unavailable: no instance is running', extensions: { code: 'SERVICE_UNAVAILABLE', service: 'registry' } }],
    });
  });

  it('answers SERVICE_UNAVAILABLE when the service is too slow', async () => {
    const execute = createNatsExecutor({ nc, subjects, service: 'identity', timeoutMs: 100 });
    const result = await execute({ document: parse('{ slow }') });
    expect(result.errors?.[0]).toMatchObject({ message: expect.stringMatching(/did not answer in time/), extensions: { code: 'SERVICE_UNAVAILABLE' } });
  });
});

describe('connectBus', () => {
  it('fails fast with a message that says where and what to do', async () => {
    const attempt = connectBus({ url: 'nats://127.0.0.1:1', name: 'nowhere', timeoutMs: 1_000 });
    await expect(attempt).rejects.toBeInstanceOf(BusUnavailableError);
    await expect(attempt).rejects.toThrow(/NATS is unreachable at nats:\/\/127.0.0.1:1.*nats-server/);
  });
});
