/**
 * The services' stitching directives as Mesh Compose (which composes Hive Gateway's
 * supergraph) reads them. Nothing about the services changes; only how their SDL is
 * annotated for the composer:
 *  - a type a service's `@merge` lookup resolves gets `@key(fields: <the lookup's key>)`
 *    (Hive Gateway then resolves it through that lookup, as stitching does);
 *  - every other key of a type that some service resolves, when the type has its fields,
 *    becomes `@key(fields:, resolvable: false)` (what to select here for the lookup there);
 *  - a lookup by a composite key (`key: ["agencyCode", "code"]`) gets the arguments
 *    expression stitching derives from it (Hive Gateway's `@merge(key:)` is one string);
 *  - the `_`-named lookups the Simpul gateway hides become `@inaccessible`.
 */
import {
  buildASTSchema,
  Kind,
  parse,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type ConstArgumentNode,
  type ConstValueNode,
  type StringValueNode,
} from 'graphql';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { composeSubgraphs } from '@graphql-mesh/fusion-composition';

/** Composes the services' schemas into a supergraph whose subgraphs are reached at the given URLs. */
export function composeSupergraph(services: { name: string; schema: GraphQLSchema; url: string }[]): string {
  const documents = services.map(({ schema }) => parse(printSchemaWithDirectives(schema)));
  const allKeys = new Map<string, Set<string>>();
  for (const doc of documents) for (const [type, keys] of lookupKeys(doc)) allKeys.set(type, new Set([...(allKeys.get(type) ?? []), ...keys]));
  const result = composeSubgraphs(
    // (Mesh also adds lookups it guesses from field names, e.g. `document(id)`; without them it drops the declared @merge too.)
    services.map(({ name, url }, i) => ({ name, url, schema: buildASTSchema(federationStyle(documents[i]!, allKeys), { assumeValidSDL: true }) })),
  );
  if (result.errors?.length) throw new Error(`composition failed:\n${result.errors.map((e) => e.message).join('\n')}`);
  return result.supergraphSdl;
}

const STITCHING = new Set(['key', 'merge', 'computed', 'canonical']);
const str = (v: string): ConstValueNode => ({ kind: Kind.STRING, value: v });
const arg = (name: string, value: ConstValueNode): ConstArgumentNode => ({ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: name }, value });
/** Each type's keys by the @merge lookups that resolve it: { Unit: { identity: ["agencyCode code"] } }. */
function lookupKeys(doc: DocumentNode): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION || def.name.value !== 'Query') continue;
    for (const field of def.fields ?? []) {
      const merge = field.directives?.find((d) => d.name.value === 'merge');
      if (!merge) continue;
      let type = field.type;
      while (type.kind !== Kind.NAMED_TYPE) type = type.type;
      const keyField = merge.arguments?.find((a) => a.name.value === 'keyField')?.value;
      const key = merge.arguments?.find((a) => a.name.value === 'key')?.value;
      const fields =
        keyField?.kind === Kind.STRING ? keyField.value : key?.kind === Kind.LIST ? key.values.map((v) => (v as StringValueNode).value).join(' ') : undefined;
      if (!fields) continue;
      if (!keys.has(type.name.value)) keys.set(type.name.value, new Set());
      keys.get(type.name.value)!.add(fields);
    }
  }
  return keys;
}

/**
 * One service's SDL with its stitching directives as Mesh Compose reads them: `@key(fields:)`
 * on each type one of its `@merge` lookups resolves, by that lookup's key; every other
 * key of the type that some service resolves, and whose fields this service has, as
 * `@key(fields:, resolvable: false)`, so the gateway knows what to select here for the lookup there.
 */
function federationStyle(doc: DocumentNode, allKeys: Map<string, Set<string>>): DocumentNode {
  const resolvableBy = lookupKeys(doc);
  const annotated = visit(doc, {
    // Lookups for the gateway only (`_personnelUsers`): hidden from the public API, as the Simpul gateway hides them.
    FieldDefinition: (node, _k, _p, _path, ancestors) => {
      const parent = ancestors.at(-1) as { name?: { value: string } } | undefined;
      if (parent?.name?.value !== 'Query' || !node.name.value.startsWith('_')) return undefined;
      return { ...node, directives: [...(node.directives ?? []), { kind: Kind.DIRECTIVE, name: { kind: Kind.NAME, value: 'inaccessible' }, arguments: [] }] };
    },
    DirectiveDefinition: (node) => (STITCHING.has(node.name.value) ? null : undefined),
    // Hive Gateway's @merge takes `key` as one string, not stitching's list of fields:
    // a composite key goes as the arguments expression stitching derives from that list.
    Directive: (node) => {
      const key = node.name.value === 'merge' ? node.arguments?.find((a) => a.name.value === 'key')?.value : undefined;
      if (key?.kind !== Kind.LIST) return undefined;
      const keyArg = (node.arguments?.find((a) => a.name.value === 'keyArg')?.value as StringValueNode | undefined)?.value ?? 'keys';
      const fields = key.values.map((v) => (v as StringValueNode).value);
      return { ...node, arguments: [arg('argsExpr', str(`${keyArg}: [[{ ${fields.map((f) => `${f}: $key.${f}`).join(', ')} }]]`))] };
    },
    ObjectTypeDefinition: (node) => {
      const own = resolvableBy.get(node.name.value) ?? new Set<string>();
      const fieldNames = new Set(node.fields?.map((f) => f.name.value));
      const directives = (node.directives ?? []).filter((d) => d.name.value !== 'key');
      for (const fields of own) {
        directives.push({ kind: Kind.DIRECTIVE, name: { kind: Kind.NAME, value: 'key' }, arguments: [arg('fields', str(fields))] });
        // Hive's runtime builds a lookup's merge config from @merge alone and drops the
        // @key's selection set, so it asks the origin for no key fields and sends only those
        // the query happened to select (`unit { code name }` sent `{ code }` without
        // `agencyCode`). `@stitch__key` is what its stitching-directives step reads for that
        // selection; a composite key needs it (a single-field key is the field the lookup
        // names). It lands on the supergraph's type, so only composite keys get it.
        if (fields.includes(' '))
          directives.push({ kind: Kind.DIRECTIVE, name: { kind: Kind.NAME, value: 'stitch__key' }, arguments: [arg('selectionSet', str(`{ ${fields} }`))] });
      }
      for (const fields of allKeys.get(node.name.value) ?? []) {
        if (own.has(fields) || !fields.split(' ').every((f) => fieldNames.has(f))) continue;
        directives.push({
          kind: Kind.DIRECTIVE,
          name: { kind: Kind.NAME, value: 'key' },
          arguments: [arg('fields', str(fields)), arg('resolvable', { kind: Kind.BOOLEAN, value: false })],
        });
      }
      return { ...node, directives };
    },
  });
  return { ...annotated, definitions: [...annotated.definitions, ...parse('directive @stitch__key(selectionSet: String!) on OBJECT').definitions] };
}
