import type { GraphQLSchema } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { typeDefs } from './type-defs.ts';
import { resolvers } from './resolvers/index.ts';

export type { PersonnelContext } from './context.ts';

/** Personnel's executable subschema, served over NATS and stitched by the gateway. */
export function createPersonnelSchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs, resolvers });
}
