import type { GraphQLSchema } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { typeDefs } from './type-defs.ts';
import { resolvers } from './resolvers/index.ts';

export type { DocumentsContext } from './context.ts';

/** The documents service's executable subschema, served over NATS and stitched by the gateway. */
export function createDocumentsSchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs, resolvers });
}
