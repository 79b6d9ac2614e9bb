import { describe, expect, it } from 'vitest';
import { buildSchema, parse, print } from 'graphql';
import { stitchingDirectivesTypeDefs } from '@simpul/bus';
import { subjectsFor, type ServiceName } from '@simpul/contracts';
import { planOperation, type QueryPlan } from '../src/execution/query-plan.ts';
import { ServiceGraph } from '../src/execution/service-graph.ts';
import { stitchServices } from '../src/stitching/gateway-schema.ts';

// The planner alone (no NATS): what it plans, and what it leaves to stitching.
const identity = /* GraphQL */ `
  type Query { agencies: [Agency!]! agenciesByCodes(codes: [String!]!): [Agency]! @merge(keyField: "code") }
  type Subscription { agencyChanged: Agency! }
  type Agency @key(selectionSet: "{ code }") { code: String! name: String! }
`;
const personnel = /* GraphQL */ `
  type Query { people: [Person!]! _personnelAgencies(codes: [String!]!): [Agency]! @merge(keyField: "code") }
  type Person { id: ID! name: String! agency: Agency! }
  type Agency @key(selectionSet: "{ code }") { code: String! headcount: Int! }
`;
const schemas = new Map<ServiceName, ReturnType<typeof buildSchema>>([
  ['identity', buildSchema(stitchingDirectivesTypeDefs + identity)],
  ['personnel', buildSchema(stitchingDirectivesTypeDefs + personnel)],
]);
// Executors are never called here.
const stitched = stitchServices(schemas, { nc: undefined as never, subjects: subjectsFor('test'), timeoutMs: 1 });
const graph = new ServiceGraph(schemas);

function plan(query: string): QueryPlan | string {
  const outcome = planOperation(stitched.gateway, graph, parse(query));
  return 'plan' in outcome ? outcome.plan : outcome.unsupported;
}

describe('query plans', () => {
  it('sends each service its share, with the keys its merges need, and looks the rest up by key', () => {
    const p = plan('{ people { name agency { name headcount } } agencies { code headcount } }') as QueryPlan;
    expect(p.roots.map((r) => [r.service, print(r.document).replace(/\s+/g, ' ')])).toEqual([
      ['personnel', '{ people { name agency { headcount _gwKey_code: code } } }'],
      ['identity', '{ agencies { code _gwKey_code: code } }'],
    ]);
    const [people, agencies] = p.roots;
    expect(people!.merges.map((m) => [m.service, m.entry.fieldName, m.path])).toEqual([['identity', 'agenciesByCodes', ['people', 'agency']]]);
    expect(agencies!.merges.map((m) => [m.service, m.entry.fieldName, m.path])).toEqual([['personnel', '_personnelAgencies', ['agencies']]]);
  });

  it('keeps fragments, aliases, directives and the variables each request uses', () => {
    const p = plan(`query ($a: Boolean!, $unused: Int) { people { ...P } } fragment P on Person { who: name agency @include(if: $a) { name } }`) as QueryPlan;
    const [root] = p.roots;
    expect(print(root!.document).replace(/\s+/g, ' ')).toBe(
      'query ($a: Boolean!) { people { ... on Person { who: name agency @include(if: $a) { _gwKey_code: code } } } }',
    );
  });

  it.each([
    ['introspection', '{ __schema { queryType { name } } }'],
    ['a subscription', 'subscription { agencyChanged { name } }'],
    ['an unknown directive', 'query { people @live { name } }'],
    ['a reserved alias', '{ people { _gwKey_x: name } }'],
  ])('leaves %s to stitching', (_name, query) => {
    expect(typeof plan(query)).toBe('string');
  });
});
