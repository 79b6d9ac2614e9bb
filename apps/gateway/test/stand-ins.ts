import { forbidden, unauthenticated } from '@simpul/kit';
import type { TestService } from './harness.ts';

export const AGENCIES = Array.from({ length: 100 }, (_, i) => ({ code: `AG-${i}`, name: `Agency ${i}`, parentCode: i > 0 ? `AG-${i - 1}` : null }));
const byCode = new Map(AGENCIES.map((a) => [a.code, a]));

/** Stands in for identity: agencies with a merge lookup, `me`, and a resolver that fails unexpectedly. */
export const identityStandIn: TestService = {
  service: 'identity',
  typeDefs: /* GraphQL */ `
    type Query {
      health: String!
      me: User
      agencies: [Agency!]!
      agency(code: String!): Agency
      agenciesByCodes(codes: [String!]!): [Agency]! @merge(keyField: "code")
      boom: String
      adminOnly: String
    }
    type Mutation { rename(code: String!, name: String!): Agency }
    type User { username: String! agencyCode: String! }
    type Agency @key(selectionSet: "{ code }") { code: String! name: String! parent: Agency }
  `,
  resolvers: {
    Query: {
      health: () => 'ok',
      me: (_: unknown, __: unknown, ctx) => (ctx.principal ? { username: ctx.principal.username, agencyCode: ctx.principal.agencyCode } : null),
      agencies: () => AGENCIES.slice(0, 5),
      agency: (_: unknown, { code }: { code: string }) => byCode.get(code) ?? null,
      // AG-SECRET stands for a record the caller may not read: the lookup refuses that item only.
      agenciesByCodes: (_: unknown, { codes }: { codes: string[] }) => codes.map((c) => (c === 'AG-SECRET' ? forbidden('not yours') : (byCode.get(c) ?? null))),
      boom: () => {
        throw new Error('connection string postgresql://secret@db leaked');
      },
      adminOnly: (_: unknown, __: unknown, ctx) => {
        if (!ctx.principal?.roles.includes('NATIONAL_ADMIN')) throw forbidden();
        return 'secret';
      },
    },
    Mutation: { rename: (_: unknown, { code, name }: { code: string; name: string }) => ({ ...byCode.get(code), name }) },
    Agency: { parent: (a: { parentCode: string | null }) => (a.parentCode ? byCode.get(a.parentCode) : null) },
  },
};

/** Stands in for registry: applications owned by agencies (a cross-service join), and a slow field. */
export const registryStandIn: TestService = {
  service: 'registry',
  typeDefs: /* GraphQL */ `
    type Query {
      applications(first: Int): [Application!]!
      slow: String
      "Merge-only entry point: the gateway uses it and hides it from clients."
      _registryAgencies(codes: [String!]!): [Agency]! @merge(keyField: "code")
    }
    type Application { id: ID! name: String! owner: Agency! sponsor: Agency }
    type Agency @key(selectionSet: "{ code }") { code: String! applicationCount: Int! }
  `,
  resolvers: {
    Agency: { applicationCount: (a: { code: string }) => Number(a.code.slice(3)) % 7 },
    Query: {
      _registryAgencies: (_: unknown, { codes }: { codes: string[] }) => codes.map((code) => ({ code })),
      applications: (_: unknown, { first }: { first?: number }) =>
        AGENCIES.slice(0, first ?? 100).map((a, i) => ({
          id: String(i),
          name: `App ${i}`,
          owner: { code: a.code },
          sponsor: { code: i === 13 ? 'AG-SECRET' : a.code },
        })),
      slow: () => new Promise((resolve) => setTimeout(() => resolve('late'), 3_000)),
    },
  },
};

/** The password the sign-in stand-in accepts, for any user name. */
export const RIGHT_PASSWORD = 'right-password';

/**
 * Stands in for identity's sign-in: `login` fails (UNAUTHENTICATED, as identity's does)
 * unless the password is RIGHT_PASSWORD; `refreshSession` takes any token. `calls`
 * counts what reached it, to tell a refusal at the gateway from one by identity.
 */
export function signInStandIn(): TestService & { calls: { login: number; refreshSession: number; rename: number } } {
  const calls = { login: 0, refreshSession: 0, rename: 0 };
  return {
    service: 'identity',
    calls,
    typeDefs: /* GraphQL */ `
      type Query { health: String! me: User }
      type Mutation {
        login(username: String!, password: String!): Session!
        refreshSession(refreshToken: String!): Session!
        rename(name: String!): String!
      }
      type Session { token: String! refreshToken: String! }
      type User { username: String! }
    `,
    resolvers: {
      Query: {
        health: () => 'ok',
        me: (_: unknown, __: unknown, ctx) => (ctx.principal ? { username: ctx.principal.username } : null),
      },
      Mutation: {
        login: (_: unknown, { username, password }: { username: string; password: string }) => {
          calls.login += 1;
          if (password !== RIGHT_PASSWORD) throw unauthenticated('Wrong user name or password');
          return { token: `token-of-${username}`, refreshToken: `refresh-of-${username}` };
        },
        refreshSession: (_: unknown, { refreshToken }: { refreshToken: string }) => {
          calls.refreshSession += 1;
          return { token: `token-for-${refreshToken}`, refreshToken: `${refreshToken}+1` };
        },
        rename: (_: unknown, { name }: { name: string }) => {
          calls.rename += 1;
          return name;
        },
      },
    },
  };
}
