import type { Resolver } from '../../schema/resolvers/types.ts';
import { iso } from '../../schema/resolvers/types.ts';
import type { WebhookHealth } from './webhook-manager.ts';
import type { EventWebhook, WebhookDeadLetter } from './webhook-store.ts';

/** Webhooks of API clients in the registry's subschema. */
export const webhookTypeDefs = /* GraphQL */ `
extend type Query {
  "A client's webhook and its health; null when it has none. The client itself, NATIONAL_ADMIN, AUDITOR or OPERATOR."
  eventWebhook(clientId: String!): EventWebhookHealth
  "Events the webhook gave up on, oldest first (replayed ones too when asked)."
  webhookDeadLetters(clientId: String!, includeReplayed: Boolean = false): [WebhookDeadLetter!]!
}

extend type Mutation {
  "The client (its own token) or a NATIONAL_ADMIN sets where its granted events are POSTed, signed with HMAC. The secret is shown once; setting again gives a new one."
  setEventWebhook(clientId: String!, url: String!): EventWebhookSecret!
  "Stops webhook delivery for the client. True when it had one."
  removeEventWebhook(clientId: String!): Boolean!
  "Sends the dead letters again, in order; returns those that still failed."
  replayWebhookDeadLetters(clientId: String!): [WebhookDeadLetter!]!
}

type EventWebhookSecret {
  url: String!
  "HMAC-SHA256 key for Simpul-Signature; shown once."
  secret: String!
}

type EventWebhookHealth {
  clientId: String!
  url: String!
  lastSuccessAt: String
  lastFailureAt: String
  lastError: String
  "Failed attempts since the last success."
  consecutiveFailures: Int!
  "Dead letters not yet replayed."
  deadLetters: Int!
  "Events copied for the client that the webhook has not delivered yet (waiting or being retried); null when unknown."
  pending: Int
  "HEALTHY, FAILING (retrying) or DEAD_LETTERS (some events parked)."
  status: String!
}

type WebhookDeadLetter {
  id: ID!
  eventId: String!
  "OWNER/type@version"
  eventType: String!
  attempts: Int!
  lastError: String!
  parkedAt: String!
  replayedAt: String
}
`;

export const webhookResolvers = {
  Query: {
    eventWebhook: ((_, { clientId }, { eventWebhooks, principal }) => eventWebhooks.health(principal, clientId)) satisfies Resolver<
      unknown,
      { clientId: string }
    >,
    webhookDeadLetters: ((_, { clientId, includeReplayed }, { eventWebhooks, principal }) =>
      eventWebhooks.deadLetters(principal, clientId, includeReplayed ?? false)) satisfies Resolver<
      unknown,
      { clientId: string; includeReplayed?: boolean | null }
    >,
  },
  Mutation: {
    setEventWebhook: (async (_, { clientId, url }, { eventWebhooks, principal }) => {
      const { webhook, secret } = await eventWebhooks.set(principal, clientId, url);
      return { url: webhook.url, secret };
    }) satisfies Resolver<unknown, { clientId: string; url: string }>,
    removeEventWebhook: ((_, { clientId }, { eventWebhooks, principal }) => eventWebhooks.remove(principal, clientId)) satisfies Resolver<
      unknown,
      { clientId: string }
    >,
    replayWebhookDeadLetters: ((_, { clientId }, { eventWebhooks, principal }) => eventWebhooks.replay(principal, clientId)) satisfies Resolver<
      unknown,
      { clientId: string }
    >,
  },
  EventWebhookHealth: {
    clientId: (h: WebhookHealth) => h.webhook.clientId,
    url: (h: WebhookHealth) => h.webhook.url,
    lastSuccessAt: (h: WebhookHealth) => iso(h.webhook.lastSuccessAt),
    lastFailureAt: (h: WebhookHealth) => iso(h.webhook.lastFailureAt),
    lastError: (h: WebhookHealth) => h.webhook.lastError,
    consecutiveFailures: (h: WebhookHealth) => h.webhook.consecutiveFailures,
    status: (h: WebhookHealth) => (h.deadLetters > 0 ? 'DEAD_LETTERS' : h.webhook.consecutiveFailures > 0 ? 'FAILING' : 'HEALTHY'),
  },
  WebhookDeadLetter: {
    parkedAt: (d: WebhookDeadLetter) => d.createdAt.toISOString(),
    replayedAt: (d: WebhookDeadLetter) => iso(d.replayedAt),
  },
};

export type { EventWebhook };
