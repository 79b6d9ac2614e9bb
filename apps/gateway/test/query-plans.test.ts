import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forbidden, notFound } from '@simpul/kit';
import { postGraphQL } from '@simpul/testing';
import { initTelemetry } from '@simpul/telemetry';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@simpul/telemetry/testing';
import { startHarness, type TestService } from './harness.ts';

// The query-plan path in front of small real services made for the test, against the
// same services behind a gateway that only stitches: same answers, and the faults
// (a slow service, a refused item, a failed non-null field) land where stitching puts them.

/** How many times identity's stamp mutation ran. */
let stamps = 0;

const AGENCIES = new Map([
  ['AG-1', { code: 'AG-1', name: 'Agency 1', region: 'Java' }],
  ['AG-2', { code: 'AG-2', name: 'Agency 2', region: null }],
  ['AG-SECRET', { code: 'AG-SECRET', name: 'Secret', region: 'Bali' }],
]);

/** Agencies, with a lookup that refuses AG-SECRET, answers null for unknown codes and stalls on AG-SLOW. */
const agenciesService: TestService = {
  service: 'identity',
  typeDefs: /* GraphQL */ `
    type Query {
      agencies: [Agency!]!
      agenciesByCodes(codes: [String!]!): [Agency]! @merge(keyField: "code")
      _identityPeople(ids: [ID!]!): [Person]! @merge(keyField: "id")
    }
    type Mutation { stamp: String! }
    type Agency @key(selectionSet: "{ code }") { code: String! name: String! region: String motto: String! }
    type Person @key(selectionSet: "{ id }") { id: ID! badge: String }
  `,
  resolvers: {
    Mutation: {
      stamp: () => {
        stamps++;
        return `stamp ${stamps}`;
      },
    },
    Query: {
      agencies: () => [...AGENCIES.values()],
      agenciesByCodes: async (_: unknown, { codes }: { codes: string[] }) => {
        if (codes.includes('AG-SLOW')) await new Promise((r) => setTimeout(r, 3_000));
        return codes.map((c) => (c === 'AG-SECRET' ? forbidden('not your agency') : (AGENCIES.get(c) ?? null)));
      },
      _identityPeople: (_: unknown, { ids }: { ids: string[] }) => ids.map((id) => (id === 'p3' ? notFound('no badge') : { id, badge: `B-${id}` })),
    },
    Agency: {
      // A non-null field that fails for one agency: the agency is nulled, with one error.
      motto: (a: { code: string }) => (a.code === 'AG-2' ? null : `Motto of ${a.code}`),
    },
  },
};

const PEOPLE = [
  { id: 'p1', name: 'Ani', agencyCode: 'AG-1', bossId: null },
  { id: 'p2', name: 'Budi', agencyCode: 'AG-2', bossId: 'p1' },
  { id: 'p3', name: 'Citra', agencyCode: 'AG-SECRET', bossId: 'p1' },
  { id: 'p4', name: 'Dewi', agencyCode: 'AG-UNKNOWN', bossId: 'p2' },
  { id: 'p5', name: 'Eko', agencyCode: 'AG-1', bossId: 'p2' },
];

/** People, each with an agency owned by the other service; and the people of an agency, added to Agency. */
const peopleService: TestService = {
  service: 'personnel',
  typeDefs: /* GraphQL */ `
    type Query {
      people(slowAgency: Boolean): [Person!]!
      person(id: ID!): Person
      _personnelAgencies(codes: [String!]!): [Agency]! @merge(keyField: "code")
    }
    type Mutation { renamePerson(id: ID!, name: String!): Person! }
    type Person @key(selectionSet: "{ id }") { id: ID! name: String! agency: Agency boss: Person tags: [String!]! }
    type Agency @key(selectionSet: "{ code }") { code: String! headcount: Int! people: [Person!]! }
  `,
  resolvers: {
    Query: {
      people: (_: unknown, { slowAgency }: { slowAgency?: boolean }) =>
        PEOPLE.map((p) => ({ ...p, agencyCode: slowAgency && p.id === 'p1' ? 'AG-SLOW' : p.agencyCode })),
      person: (_: unknown, { id }: { id: string }) => PEOPLE.find((p) => p.id === id) ?? null,
      _personnelAgencies: (_: unknown, { codes }: { codes: string[] }) => codes.map((code) => ({ code })),
    },
    Mutation: { renamePerson: (_: unknown, { id, name }: { id: string; name: string }) => ({ ...PEOPLE.find((p) => p.id === id), name }) },
    Person: {
      agency: (p: { agencyCode: string }) => ({ code: p.agencyCode }),
      boss: (p: { bossId: string | null }) => PEOPLE.find((b) => b.id === p.bossId) ?? null,
      tags: (p: { id: string }) => [`tag-${p.id}`, 'staff'],
    },
    Agency: {
      headcount: (a: { code: string }) => PEOPLE.filter((p) => p.agencyCode === a.code).length,
      people: (a: { code: string }) => PEOPLE.filter((p) => p.agencyCode === a.code),
    },
  },
};

const spans = new InMemorySpanExporter();
const telemetry = initTelemetry({ serviceName: 'gateway-test', spanProcessors: [new SimpleSpanProcessor(spans)] });

let planned: Awaited<ReturnType<typeof startHarness>>;
let stitched: Awaited<ReturnType<typeof startHarness>>;

beforeAll(async () => {
  [planned, stitched] = await Promise.all([
    startHarness([agenciesService, peopleService]),
    startHarness([agenciesService, peopleService], { QUERY_PLANS: 'false', SINGLE_SERVICE_ROUTE: 'false' }),
  ]);
});
afterAll(async () => {
  await Promise.all([planned?.stop(), stitched?.stop()]);
  await telemetry.shutdown();
});

/** Each answer has its own trace: its id is not part of what the two paths must agree on. */
function withoutTraceId(error: { extensions?: Record<string, unknown> }) {
  const { traceId: _traceId, ...extensions } = error.extensions ?? {};
  return { ...error, extensions };
}

async function both(query: string, variables: Record<string, unknown> = {}) {
  const ask = async (h: typeof planned) => {
    const start = h.requests.length;
    const res = await postGraphQL(h.url, query, variables, await h.key.sign());
    return {
      status: res.status,
      data: res.body.data,
      errors: res.body.errors?.map((e) => JSON.stringify(withoutTraceId(e))).sort(),
      requests: h.requests.slice(start),
    };
  };
  const [p, s] = await Promise.all([ask(planned), ask(stitched)]);
  return { planned: p, stitched: s };
}

describe('the planned path answers as stitching does', () => {
  it.each([
    ['a join with nulls, a refused item and an unknown key', '{ people { id name agency { code name region } } }'],
    ['a non-null field failing inside a merged object', '{ people { name agency { name motto } } }'],
    ['two services adding to one type, and a third level back', '{ agencies { code name headcount people { name agency { name } } } }'],
    ['a type merged back into its own service through another', '{ person(id: "p4") { id boss { name badge agency { name } boss { badge } } badge } }'],
    [
      'fragments, aliases, __typename and lists of leaves',
      `query Q { __typename who: people { ...P t: tags } } fragment P on Person { __typename id agency { ... on Agency { __typename label: name } } }`,
    ],
    [
      '@skip and @include from variables',
      ['query ($a: Boolean!, $b: Boolean = true) { people { id agency @include(if: $a) { name } boss @skip(if: $b) { name } } }', { a: true }],
    ],
    [
      '@skip and @include, the other way',
      ['query ($a: Boolean!, $b: Boolean = true) { people { id agency @include(if: $a) { name } boss @skip(if: $b) { name } } }', { a: false, b: false }],
    ],
    ['a variable used in a merged field', ['query ($id: ID!) { person(id: $id) { name agency { name } } }', { id: 'p2' }]],
    ['a variable of the wrong type', ['query ($id: ID!) { person(id: $id) { name agency { name } } }', { id: { nested: true } }]],
    ['a required variable missing', ['query ($id: ID!, $n: Int) { person(id: $id) { name agency { name } } }', { n: 'x' }]],
    ['a mutation with a join', 'mutation { renamePerson(id: "p1", name: "Ani S.") { name agency { name headcount } } }'],
  ] as [string, string | [string, Record<string, unknown>]][])('%s', async (_name, q) => {
    const [query, variables] = typeof q === 'string' ? [q, {}] : q;
    const { planned: p, stitched: s } = await both(query, variables);
    expect({ ...p, requests: undefined }).toEqual({ ...s, requests: undefined });
  });

  it('mutations of two services run in order; a failed non-null one stops the ones after it, as in graphql-js', async () => {
    const ran = async (query: string) => {
      const before = stamps;
      const { planned: p, stitched: s } = await both(query);
      const masked = (r: typeof p) => JSON.parse(JSON.stringify({ ...r, requests: undefined }).replace(/stamp \d+/g, 'stamp'));
      expect(masked(p)).toEqual(masked(s));
      return { body: p, stamped: stamps - before };
    };
    const ok = await ran('mutation { first: stamp renamePerson(id: "p2", name: "Budi") { name agency { name } } last: stamp }');
    expect(ok.stamped).toBe(4); // two per gateway
    expect(ok.body.data).toMatchObject({
      first: expect.stringMatching(/^stamp/),
      renamePerson: { name: 'Budi', agency: { name: 'Agency 2' } },
      last: expect.stringMatching(/^stamp/),
    });
    const failed = await ran('mutation { renamePerson(id: "nobody", name: "x") { id name } stamp }');
    expect(failed.body.data).toBeNull();
    expect(failed.stamped).toBe(0);
  });

  it('a refusal on an object in a list: at its index, where stitching drops the index (a stitching bug)', async () => {
    const { planned: p, stitched: s } = await both('{ people { id badge } }');
    expect(p.data).toEqual(s.data);
    expect((p.data as { people: { badge: string | null }[] }).people.map((x) => x.badge)).toEqual(['B-p1', 'B-p2', null, 'B-p4', 'B-p5']);
    expect(p.errors).toEqual(['{"message":"no badge","path":["people",2,"badge"],"extensions":{"code":"NOT_FOUND"}}']);
    // @graphql-tools/delegate reports merge errors of list items at the list's path.
    expect(s.errors).toEqual(['{"message":"no badge","path":["people","badge"],"extensions":{"code":"NOT_FOUND"}}']);
  });

  it('a service that does not answer in time: SERVICE_UNAVAILABLE on its fields only, the rest arrives', async () => {
    const { planned: p, stitched: s } = await both('{ people(slowAgency: true) { id name agency { code name } } }');
    expect({ ...p, requests: undefined }).toEqual({ ...s, requests: undefined });
    const data = p.data as { people: { id: string; name: string; agency: unknown }[] };
    expect(data.people.map((x) => x.name)).toEqual(['Ani', 'Budi', 'Citra', 'Dewi', 'Eko']);
    expect(data.people.every((x) => x.agency === null)).toBe(true);
    expect(p.errors?.every((e) => e.includes('SERVICE_UNAVAILABLE'))).toBe(true);
  });
});

describe('what the plan saves', () => {
  it('asks each service at most once per level, where stitching asks personnel twice', async () => {
    const { planned: p, stitched: s } = await both('{ people { name agency { name } badge } }');
    expect(p.data).toEqual(s.data);
    expect(p.requests.sort()).toEqual(['identity', 'personnel']);
    expect(s.requests.length).toBeGreaterThanOrEqual(p.requests.length);
  });

  it('three levels: personnel, identity, personnel, identity — one request each', async () => {
    const { planned: p, stitched: s } = await both('{ agencies { name people { name agency { name } } } }');
    expect(p.data).toEqual(s.data);
    // identity (agencies), personnel (people), identity (their agencies' names).
    expect(p.requests).toEqual(['identity', 'personnel', 'identity']);
  });

  it("reports each NATS request with its service, sizes and the operation's context", async () => {
    const start = planned.exchanges.length;
    const res = await postGraphQL(planned.url, '{ person(id: "p2") { name agency { name } } }', {}, await planned.key.sign());
    expect(res.body.errors).toBeUndefined();
    const exchanges = planned.exchanges.slice(start);
    expect(exchanges.map((e) => e.service)).toEqual(['personnel', 'identity']);
    for (const e of exchanges) {
      expect(e.answered).toBe(true);
      expect(e.bytesOut).toBeGreaterThan(20);
      expect(e.bytesIn).toBeGreaterThan(20);
    }
    // Both requests belong to the same operation: they carry the same context.
    expect(exchanges[0]!.context).toBe(exchanges[1]!.context);
    expect((exchanges[0]!.context as { token?: string }).token).toBeTruthy();
  });

  it('traces the operation: each NATS request is a child of the operation span, and each service continues it', async () => {
    spans.reset();
    const res = await postGraphQL(planned.url, 'query Joined { person(id: "p2") { name agency { name } } }', {}, await planned.key.sign());
    expect(res.body.errors).toBeUndefined();
    const finished = spans.getFinishedSpans();
    const operation = finished.find((s) => s.name === 'graphql Joined')!;
    expect(operation).toBeDefined();
    const requests = finished.filter((s) => s.name.startsWith('nats request') && s.spanContext().traceId === operation.spanContext().traceId);
    expect(requests.map((s) => s.name.split('.').at(-2)).sort()).toEqual(['identity', 'personnel']);
    for (const request of requests) {
      expect(request.parentSpanContext?.spanId).toBe(operation.spanContext().spanId);
      // The service's own span continues the trace from the traceparent header.
      const served = finished.filter((s) => s.parentSpanContext?.spanId === request.spanContext().spanId);
      expect(served.map((s) => s.name)).toEqual([expect.stringMatching(/^(identity|personnel) graphql/)]);
    }
  });
});
