import { forbidden } from '@simpul/kit';
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
        AGENCIES.slice(0, first ?? 100).map((a, i) => ({ id: String(i), name: `App ${i}`, owner: { code: a.code }, sponsor: { code: i === 13 ? 'AG-SECRET' : a.code } })),
      slow: () => new Promise((resolve) => setTimeout(() => resolve('late'), 3_000)),
    },
  },
};
