import type { GraphQLSchema } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { typeDefs } from './type-defs.ts';
import { resolvers } from './resolvers/index.ts';

export type { IdentityContext } from './context.ts';

/** Identity's executable subschema, served over NATS and stitched by the gateway. */
export function createIdentitySchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs, resolvers });
}
