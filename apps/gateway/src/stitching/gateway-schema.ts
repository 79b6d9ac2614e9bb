import type { GraphQLSchema } from 'graphql';
import type { Executor } from '@graphql-tools/utils';
import { stitchSchemas } from '@graphql-tools/stitch';
import { stitchingDirectives } from '@graphql-tools/stitching-directives';
import { filterSchema } from '@graphql-tools/utils';
import { createNatsExecutor, type NatsConnection, type ServiceExchange } from '@simpul/bus';
import type { ServiceName, Subjects } from '@simpul/contracts';
import { ServiceGraph } from '../execution/service-graph.ts';

const { stitchingDirectivesTransformer } = stitchingDirectives();

export interface ServiceSchemas {
  /** The stitched schema clients query. */
  gateway: GraphQLSchema;
  /** Each service's own schema and how to reach it, for operations one service answers alone. */
  services: ReadonlyMap<ServiceName, { schema: GraphQLSchema; executor: Executor }>;
  /** Who answers which fields and how merged types are looked up, for the query planner. */
  graph: ServiceGraph;
}

export interface StitchOptions {
  nc: NatsConnection;
  subjects: Subjects;
  timeoutMs: number;
  onRequest?: (service: ServiceName, exchange: ServiceExchange) => void;
}

/**
 * Stitches the services' schemas. How types join across services comes from the
 * `@key`/`@merge` directives in each service's SDL, so adding a service needs no
 * gateway code. `batch: true` turns the merged lookups of one request into one NATS
 * request per service.
 */
export function stitchServices(schemas: ReadonlyMap<ServiceName, GraphQLSchema>, options: StitchOptions, extend?: GatewayExtension): ServiceSchemas {
  const services = new Map([...schemas].map(([service, schema]) => [service, { schema, executor: createNatsExecutor({ ...options, service }) as Executor }]));
  return stitchExecutors(services, extend);
}

/**
 * Types and resolvers the gateway adds of its own (the Subscription type, see
 * subscriptions/), given the services' subschemas so that its resolvers can delegate to
 * them. Undefined when none of what it needs is stitched.
 */
export type GatewayExtension = (
  subschemas: ReadonlyMap<ServiceName, { schema: GraphQLSchema; executor: Executor }>,
) => { typeDefs: string; resolvers: Record<string, unknown> } | undefined;

/**
 * Stitches services reached by any executor: over NATS for the gateway, in process for
 * the benchmark's monolith (bench/servers/monolith.ts), which so joins by the same plans.
 */
export function stitchExecutors(services: ReadonlyMap<ServiceName, { schema: GraphQLSchema; executor: Executor }>, extend?: GatewayExtension): ServiceSchemas {
  const schemas = new Map([...services].map(([service, { schema }]) => [service, schema]));
  // The same config objects go to stitchSchemas and to the extension: delegating to them
  // is how the extension's resolvers reach a service with type merging intact.
  const subschemas = new Map([...services].map(([service, { schema, executor }]) => [service, { name: service, schema, executor, batch: true }]));
  const extension = extend?.(subschemas);
  const stitched = stitchSchemas({
    subschemaConfigTransforms: [stitchingDirectivesTransformer],
    subschemas: [...subschemas.values()],
    ...(extension ? { typeDefs: extension.typeDefs, resolvers: extension.resolvers as never } : {}),
  });
  return { gateway: hideMergeEntryPoints(stitched), services, graph: new ServiceGraph(schemas) };
}

/**
 * A service that adds fields to another service's type offers a root field for the
 * gateway's merged lookups only (`_registryAgencies(codes)`). Such `_`-named fields
 * are not part of the graph clients see. Merged lookups still reach them: the
 * stitching plan calls the service's own schema, not the gateway's root fields.
 */
function hideMergeEntryPoints(schema: GraphQLSchema): GraphQLSchema {
  return filterSchema({ schema, rootFieldFilter: (_operation, fieldName) => !fieldName.startsWith('_') });
}
