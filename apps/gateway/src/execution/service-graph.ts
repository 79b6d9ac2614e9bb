import { isObjectType, Kind, parse, type GraphQLSchema } from 'graphql';
import { stitchingDirectives } from '@graphql-tools/stitching-directives';
import type { ServiceName } from '@simpul/contracts';

const { stitchingDirectivesTransformer } = stitchingDirectives();

/** How the gateway fetches more fields of a type from one service, given the type's key. */
export interface MergeEntry {
  service: ServiceName;
  /** The service's batched lookup field, e.g. `agenciesByCodes`. */
  fieldName: string;
  /** Scalar fields the lookup needs on each object, from the type's `@key` in that service. */
  keyFields: readonly string[];
  /** The lookup key of one object (given its key fields), as `@merge` declares it. */
  key: (object: Record<string, unknown>) => unknown;
  /** The lookup's arguments for a list of keys, as `@merge` declares them. */
  argsFromKeys: (keys: readonly unknown[]) => Record<string, unknown>;
  /** Each argument's type as printed in the service's schema, for the variable definitions. */
  argumentTypes: ReadonlyMap<string, string>;
}

type RawMergeConfig = {
  fieldName?: string;
  selectionSet?: string;
  key?: (object: Record<string, unknown>) => unknown;
  argsFromKeys?: (keys: readonly unknown[]) => Record<string, unknown>;
  entryPoints?: RawMergeConfig[];
};

/**
 * Who answers what, read once per set of service schemas: which services define
 * each field of each type, and how each service's part of a merged type is looked up.
 * The `@key`/`@merge` directives of the services' own SDL say it (the same reading
 * `@graphql-tools/stitch` makes through `stitchingDirectivesTransformer`), so the
 * query planner and stitching agree on every join.
 */
export class ServiceGraph {
  /** Service order: the first service that can answer a field is asked for it. */
  readonly services: readonly ServiceName[];
  private readonly schemas: ReadonlyMap<ServiceName, GraphQLSchema>;
  private readonly merges = new Map<string, Map<ServiceName, MergeEntry>>();
  private readonly rootOwners = new Map<string, ServiceName>();

  constructor(schemas: ReadonlyMap<ServiceName, GraphQLSchema>) {
    this.schemas = schemas;
    this.services = [...schemas.keys()];
    for (const [service, schema] of schemas) {
      for (const root of [schema.getQueryType(), schema.getMutationType()]) {
        if (!root) continue;
        for (const field of Object.keys(root.getFields())) {
          const key = `${root === schema.getQueryType() ? 'query' : 'mutation'}.${field}`;
          if (!this.rootOwners.has(key)) this.rootOwners.set(key, service);
        }
      }
      const config = stitchingDirectivesTransformer({ schema }) as { merge?: Record<string, RawMergeConfig> };
      for (const [typeName, raw] of Object.entries(config.merge ?? {})) {
        const entry = readMergeEntry(service, schema, raw);
        if (!entry) continue;
        let byService = this.merges.get(typeName);
        if (!byService) this.merges.set(typeName, (byService = new Map()));
        byService.set(service, entry);
      }
    }
  }

  /** The service that answers a root field of queries or mutations. */
  rootOwner(operation: 'query' | 'mutation', fieldName: string): ServiceName | undefined {
    return this.rootOwners.get(`${operation}.${fieldName}`);
  }

  /** True when the service's own schema has this field on this object type. */
  provides(service: ServiceName, typeName: string, fieldName: string): boolean {
    const type = this.schemas.get(service)?.getType(typeName);
    return isObjectType(type) && fieldName in type.getFields();
  }

  mergeEntry(typeName: string, service: ServiceName): MergeEntry | undefined {
    return this.merges.get(typeName)?.get(service);
  }
}

function readMergeEntry(service: ServiceName, schema: GraphQLSchema, raw: RawMergeConfig): MergeEntry | undefined {
  const config = raw.fieldName ? raw : raw.entryPoints?.find((e) => e.fieldName);
  if (!config?.fieldName || !config.selectionSet || !config.key || !config.argsFromKeys) return undefined;
  const field = schema.getQueryType()?.getFields()[config.fieldName];
  if (!field) return undefined;
  const keyFields = scalarFieldsOf(config.selectionSet);
  if (!keyFields) return undefined;
  return {
    service,
    fieldName: config.fieldName,
    keyFields,
    key: config.key,
    argsFromKeys: config.argsFromKeys,
    argumentTypes: new Map(field.args.map((a) => [a.name, a.type.toString()])),
  };
}

/** `{ agencyCode code }` → ['agencyCode', 'code']; undefined for keys with nested selections. */
function scalarFieldsOf(selectionSet: string): string[] | undefined {
  const operation = parse(selectionSet).definitions[0];
  if (operation?.kind !== Kind.OPERATION_DEFINITION) return undefined;
  const names: string[] = [];
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.selectionSet || selection.alias) return undefined;
    names.push(selection.name.value);
  }
  return names;
}
