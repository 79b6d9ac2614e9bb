import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNamedType, isObjectType, isNonNullType, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { createTelemetrySchema } from '../src/schema/schema.ts';
import { AUDITOR, errorCodes, NATIONAL_ADMIN, OPERATOR, OTHERS, startTestTelemetry, type TestTelemetry } from './support/telemetry.ts';

/** Every root field of the schema itself, so a field added later is checked too. */
const schema = createTelemetrySchema();
const SAMPLE_ARGS: Record<string, string> = { 'ID!': '"00000000000000000000000000000001"', 'Int!': '1', 'MetricDimension!': 'OPERATION' };

function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const args = field.args
    .filter((a) => isNonNullType(a.type))
    .map((a) => `${a.name}: ${SAMPLE_ARGS[String(a.type)] ?? '"x"'}`)
    .join(', ');
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `${kind} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
}

const queries = Object.values((schema.getQueryType() as GraphQLObjectType).getFields()).filter((f) => !f.name.startsWith('_'));
const mutations = Object.values((schema.getMutationType() as GraphQLObjectType).getFields());

describe('who may read telemetry: every field', () => {
  let t: TestTelemetry;
  beforeAll(async () => {
    t = await startTestTelemetry();
  });
  afterAll(() => t?.close());

  it('covers the whole graph', () => {
    expect(queries.map((f) => f.name)).toEqual(
      expect.arrayContaining(['trace', 'traces', 'exchanges', 'metrics', 'instances', 'serviceMap', 'eventsState', 'deadLetters', 'agencyTraffic']),
    );
    expect(mutations.map((f) => f.name).sort()).toEqual(['discardDeadLetter', 'replayDeadLetter']);
  });

  for (const field of [...queries, ...mutations]) {
    const kind = mutations.includes(field) ? 'mutation' : 'query';
    it(`${kind} ${field.name}: nobody without a token, nobody without OPERATOR / NATIONAL_ADMIN / AUDITOR`, async () => {
      const operation = operationFor(kind, field);
      expect(errorCodes(await t.gql(operation))).toEqual(['UNAUTHENTICATED']);
      for (const caller of OTHERS) {
        const result = await t.gql(operation, {}, caller);
        expect(errorCodes(result), `${caller.roles.join(',')} on ${field.name}`).toEqual(['FORBIDDEN']);
        expect(result.data?.[field.name] ?? null).toBeNull();
      }
    });
  }

  for (const field of queries) {
    it(`query ${field.name}: OPERATOR, NATIONAL_ADMIN and AUDITOR may read it`, async () => {
      for (const caller of [OPERATOR, NATIONAL_ADMIN, AUDITOR]) {
        const result = await t.gql(operationFor('query', field), {}, caller);
        expect(result.errors, `${caller.roles[0]} on ${field.name}`).toBeUndefined();
      }
    });
  }

  it('dead letters are replayed or discarded by OPERATOR or NATIONAL_ADMIN, never by AUDITOR', async () => {
    for (const field of mutations) {
      expect(errorCodes(await t.gql(operationFor('mutation', field), {}, AUDITOR))).toEqual(['FORBIDDEN']);
      for (const caller of [OPERATOR, NATIONAL_ADMIN]) {
        const codes = errorCodes(await t.gql(operationFor('mutation', field), {}, caller));
        expect(codes.filter((c) => c === 'FORBIDDEN' || c === 'UNAUTHENTICATED')).toEqual([]);
      }
    }
  });
});
