/**
 * The GraphQL scenarios of issue 12, shared by the benchmark (bench/suite.bench.ts) and
 * the e2e test that counts each one's NATS requests (e2e/test/query-plans.e2e.test.ts),
 * so that what is measured is what is counted.
 */
import { DEMO_EMPLOYEES, type DemoEmployee } from '@simpul/contracts/demo';

export type Caller = 'admin' | 'author';

/** The four services of issue 12's comparison (the platform's own telemetry service is not part of it). */
export const BENCH_SERVICES = ['identity', 'personnel', 'documents', 'registry'] as const;
export type BenchService = (typeof BENCH_SERVICES)[number];

export interface GraphQLScenario {
  name: string;
  /** single: one service answers it; joined: it spans services. */
  kind: 'single' | 'joined' | 'mutation';
  caller: Caller;
  query: string;
  /** A request's variables; called afresh per request (a mutation needs a new NIP each time). */
  variables: () => Record<string, unknown>;
  /** The gateway's NATS requests per service for one operation: at most one per service per level. */
  natsRequests: Record<string, number>;
  /** Levels of the query, by service (for the report): why a service may be asked twice. */
  levels: string;
}

/** Demo civil servants of one regency: the first writes letters, the third signs them (as in the e2e tests). */
export const [LETTER_AUTHOR, , LETTER_SIGNER] = DEMO_EMPLOYEES.filter((e) => e.agencyCode === 'KAB-BANYUWANGI') as [DemoEmployee, DemoEmployee, DemoEmployee];
/** Page size of the documents join: 20 rows keep its cost within the gateway's MAX_COST (5000); 50 would not. */
export const DOCUMENT_PAGE_SIZE = 20;

let appointed = 0;
/**
 * A fresh, valid NIP per call: birth date in 1990-1999, TMT CPNS 2024-01, sex digit 1,
 * sequence 001-999; unique within one process for 3.6 million calls.
 */
export function nextNip(): string {
  const n = appointed++;
  const birth = new Date(Date.UTC(1990, 0, 1) + (n % 3_600) * 86_400_000);
  const sequence = (Math.floor(n / 3_600) % 999) + 1;
  const ymd = birth.toISOString().slice(0, 10).replaceAll('-', '');
  return `${ymd}2024011${String(sequence).padStart(3, '0')}`;
}

export const GRAPHQL_SCENARIOS: readonly GraphQLScenario[] = [
  {
    name: 'health',
    kind: 'single',
    caller: 'admin',
    query: '{ health }',
    variables: () => ({}),
    natsRequests: { identity: 1 },
    levels: 'identity',
  },
  {
    name: 'me',
    kind: 'single',
    caller: 'admin',
    query: '{ me { username displayName roles agency { code name } } }',
    variables: () => ({}),
    natsRequests: { identity: 1 },
    levels: 'identity',
  },
  {
    name: 'employees(50) + agency, unit, user',
    kind: 'joined',
    caller: 'admin',
    query: `query ($agency: String!) { employees(agencyCode: $agency, first: 50) { totalCount edges { node {
      nip name rank { code title } agency { code name } unit { code name } user { username } } } } }`,
    variables: () => ({ agency: 'KAB-BANYUWANGI' }),
    natsRequests: { personnel: 1, identity: 1 },
    levels: 'personnel; identity (agency, unit and user together)',
  },
  {
    name: `documents(${DOCUMENT_PAGE_SIZE}) + author, signer, agency`,
    kind: 'joined',
    caller: 'admin',
    query: `query ($first: Int!) { documents(first: $first) { totalCount edges { node { id subject status
      author { nip name rank { code title } agency { code name } }
      signer { nip name rank { code title } } } } } }`,
    variables: () => ({ first: DOCUMENT_PAGE_SIZE }),
    natsRequests: { documents: 1, personnel: 1, identity: 1 },
    levels: "documents; personnel (author and signer together); identity (the author's agency)",
  },
  {
    name: 'appointEmployee + agency, unit',
    kind: 'mutation',
    caller: 'admin',
    query: `mutation ($input: AppointEmployeeInput!) { appointEmployee(input: $input) { nip name agency { name } unit { name } } }`,
    variables: () => ({
      input: {
        nip: nextNip(),
        name: 'Dian Permata',
        agencyCode: 'KAB-BANYUWANGI',
        unitCode: 'BKPSDM',
        asnStatus: 'CPNS',
        rank: 'III/a',
        positionName: 'Analis SDM Aparatur Ahli Pertama',
        positionType: 'AHLI_PERTAMA',
        effectiveDate: '2024-01-02',
      },
    }),
    natsRequests: { personnel: 1, identity: 1 },
    levels: 'personnel (writes employee.appointed to its outbox); identity (agency and unit)',
  },
];
