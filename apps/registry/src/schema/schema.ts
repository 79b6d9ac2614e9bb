import type { GraphQLSchema } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { typeDefs } from './type-defs.ts';
import { resolvers } from './resolvers/index.ts';
import { reviewTypeDefs } from './review-type-defs.ts';
import { reviewResolvers } from './resolvers/review.ts';
import { eventCatalogueResolvers, eventCatalogueTypeDefs } from '../event-catalogue/event-catalogue-schema.ts';
import { webhookResolvers, webhookTypeDefs } from '../agency-events/webhooks/webhook-schema.ts';
import { subscriberHealthResolvers, subscriberHealthTypeDefs } from '../agency-events/operators/subscriber-health-schema.ts';

export type { RegistryContext } from './context.ts';

/** The registry's executable subschema, served over NATS and stitched by the gateway. */
export function createRegistrySchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: [typeDefs, reviewTypeDefs, eventCatalogueTypeDefs, webhookTypeDefs, subscriberHealthTypeDefs],
    resolvers: [resolvers, reviewResolvers, eventCatalogueResolvers, webhookResolvers, subscriberHealthResolvers],
  });
}
