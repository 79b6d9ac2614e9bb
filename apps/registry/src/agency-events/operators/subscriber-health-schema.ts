import type { Resolver } from '../../schema/resolvers/types.ts';
import type { SubscriberView } from './subscriber-health.ts';

/** The operators' list of subscribers in the registry's subschema. */
export const subscriberHealthTypeDefs = /* GraphQL */ `
extend type Query {
  "Every API client that receives agency events (it holds a grant or has a webhook): its grants, its NATS consumer's backlog and its webhook's health. OPERATOR, NATIONAL_ADMIN or AUDITOR."
  eventSubscribers: [EventSubscriber!]!
}

type EventSubscriber {
  clientId: String!
  "What it may receive."
  grants: [EventAccessGrant!]!
  "Events copied for it and not yet acknowledged on its NATS consumer (deliver-<clientId>); null when it has none."
  natsPending: Int
  "Null when it receives over NATS only."
  webhook: EventWebhookHealth
}
`;

export const subscriberHealthResolvers = {
  Query: {
    eventSubscribers: ((_, _args, { eventSubscribers, principal }) => eventSubscribers.list(principal)) satisfies Resolver<unknown, Record<string, never>>,
  },
  EventSubscriber: {
    grants: (s: SubscriberView) => s.grants,
  },
};
