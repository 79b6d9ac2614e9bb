import type { GraphQLSchema } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { typeDefs } from './type-defs.ts';
import { resolvers } from './resolvers/index.ts';

export type { TelemetryContext } from './context.ts';

/** The telemetry service's executable subschema, served over NATS and stitched by the gateway. */
export function createTelemetrySchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs, resolvers, resolverValidationOptions: { requireResolversToMatchSchema: 'error' } });
}
