import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isNonNullType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import type { GraphQLResponse } from './graphql.ts';

/**
 * Every field a service adds to a merged type, read through the service's own merge
 * entry points (the `@merge` queries the gateway calls), so a test can ask each of them
 * without a token (issue 16: `Agency.applications` answered anyone). The fields come from
 * the service's SDL, so a field added later is asked too.
 */
export interface MergedFieldRead {
  /** `Type.field`, e.g. `Agency.applications`. */
  field: string;
  /** The merge entry point it was read through, e.g. `_registryAgencies`. */
  entry: string;
  /** What the field answered for the first key: null when refused or hidden. */
  value: unknown;
  errorCodes: string[];
}

/** Sends one query (with variables) to the service, as a given caller or none. */
export type AskService = (query: string, variables: Record<string, unknown>) => Promise<GraphQLResponse>;

/**
 * Reads every merged field of the service (each field of each type returned by a
 * `@merge` query, its key fields left out) for one existing key per type, e.g.
 * `{ Agency: 'KAB-BANYUWANGI', Employee: '1985…' }`; an entry point that takes input
 * objects (`unitsByKeys`) gets the object. Types without a key given are skipped; so are
 * fields whose required arguments cannot be made up.
 */
export async function readMergedFields(typeDefs: string, keys: Record<string, unknown>, ask: AskService): Promise<MergedFieldRead[]> {
  const schema = buildSchema(typeDefs);
  const reads: MergedFieldRead[] = [];
  for (const entry of Object.values(schema.getQueryType()?.getFields() ?? {})) {
    if (!entry.astNode?.directives?.some((d) => d.name.value === 'merge')) continue;
    const type = getNamedType(entry.type) as GraphQLObjectType;
    if (!(type.name in keys) || entry.args.length !== 1) continue;
    const [keyArg] = entry.args as [GraphQLArgument];
    const keyFields = keyFieldsOf(type);
    for (const field of Object.values(type.getFields())) {
      if (keyFields.has(field.name)) continue;
      const selection = selectionOf(field);
      if (selection === undefined) continue;
      const query = `query ($keys: ${String(keyArg.type)}) { ${entry.name}(${keyArg.name}: $keys) { ${selection} } }`;
      const response = await ask(query, { keys: [keys[type.name]] });
      const item = (response.data?.[entry.name] as Record<string, unknown>[] | null | undefined)?.[0];
      reads.push({
        field: `${type.name}.${field.name}`,
        entry: entry.name,
        value: item?.[field.name] ?? null,
        errorCodes: (response.errors ?? []).map((e) => e.extensions?.code ?? 'NO_CODE'),
      });
    }
  }
  return reads;
}

/** The field names of a type's `@key(selectionSet: "{ a b }")`. */
function keyFieldsOf(type: GraphQLObjectType): Set<string> {
  const key = type.astNode?.directives?.find((d) => d.name.value === 'key');
  const selectionSet = key?.arguments?.find((a) => a.name.value === 'selectionSet')?.value;
  const text = selectionSet?.kind === 'StringValue' ? selectionSet.value : '';
  return new Set(text.match(/\w+/g) ?? []);
}

/** `name`, `name { __typename }` or `name(arg: …) { __typename }`; undefined when an argument cannot be made up. */
function selectionOf(field: GraphQLField<unknown, unknown>): string | undefined {
  const args: string[] = [];
  for (const arg of field.args) {
    if (!isNonNullType(arg.type)) continue;
    const value = sampleValue(arg.type.ofType);
    if (value === undefined) return undefined;
    args.push(`${arg.name}: ${value}`);
  }
  const call = args.length > 0 ? `${field.name}(${args.join(', ')})` : field.name;
  return isLeafType(getNamedType(field.type)) ? call : `${call} { __typename }`;
}

function sampleValue(type: GraphQLInputType): string | undefined {
  if (isNonNullType(type)) return sampleValue(type.ofType);
  const named = getNamedType(type);
  if (isInputObjectType(named)) return undefined;
  if (isEnumType(named)) return named.getValues()[0]?.name;
  switch (named.name) {
    case 'Int':
    case 'Float':
      return '1';
    case 'Boolean':
      return 'false';
    default:
      return '"X"';
  }
}
