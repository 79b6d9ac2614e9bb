import type { NatsConnection } from '@simpul/bus';
import { agencyEventSubjects, type Subjects } from '@simpul/contracts';
import type { PrismaClient } from '../db.ts';
import { EventCatalogueStore } from '../event-catalogue/event-catalogue-store.ts';
import { EventCatalogueManager } from '../event-catalogue/event-catalogue-manager.ts';
import { EventAccessManager } from '../event-catalogue/event-access-manager.ts';
import type { Logger } from '@simpul/kit';
import { AgencyEventGate } from './agency-event-gate.ts';
import { SubscriberDeliveries } from './subscriber-deliveries.ts';
import { WebhookStore } from './webhooks/webhook-store.ts';
import { WebhookDispatcher, type WebhookRetryPolicy } from './webhooks/webhook-dispatcher.ts';
import { WebhookManager } from './webhooks/webhook-manager.ts';
import { webhookConsumer } from './webhooks/webhook-dispatcher.ts';
import { ConsumerBacklog } from './operators/consumer-backlog.ts';
import { SubscriberHealth } from './operators/subscriber-health.ts';
import { identityClientDirectory, type ClientDirectory } from '../event-catalogue/client-directory.ts';

export const DEFAULT_WEBHOOK_RETRY: WebhookRetryPolicy = { maxAttempts: 8, firstDelayMs: 1_000, maxDelayMs: 300_000 };

export interface AgencyEventManagers {
  eventCatalogue: EventCatalogueManager;
  eventAccess: EventAccessManager;
  agencyEvents: AgencyEventGate;
  eventDeliveries: SubscriberDeliveries;
  eventWebhooks: WebhookManager;
  webhookDispatcher: WebhookDispatcher;
  eventSubscribers: SubscriberHealth;
}

/** The event catalogue, its grants and the gate of agency events, over the registry's database and bus. */
export function createAgencyEventParts(
  prisma: PrismaClient,
  options: {
    nc: NatsConnection;
    subjects: Subjects;
    logger: Logger;
    eventsWritten: () => void;
    webhookRetry?: WebhookRetryPolicy | undefined;
    clients?: ClientDirectory | undefined;
  },
): { store: EventCatalogueStore; managers: AgencyEventManagers } {
  const store = new EventCatalogueStore(prisma, options.subjects);
  const eventCatalogue = new EventCatalogueManager(store, prisma, options.subjects, options.eventsWritten);
  const names = agencyEventSubjects(options.subjects);
  const eventDeliveries = new SubscriberDeliveries(options.nc, store, names, options.logger.child({ component: 'agency-event-deliveries' }));
  const webhooks = new WebhookStore(prisma);
  const backlog = new ConsumerBacklog(options.nc);
  const webhookDispatcher = new WebhookDispatcher(
    options.nc,
    webhooks,
    names,
    options.webhookRetry ?? DEFAULT_WEBHOOK_RETRY,
    options.logger.child({ component: 'webhooks' }),
  );
  return {
    store,
    managers: {
      eventCatalogue,
      eventAccess: new EventAccessManager(
        store,
        eventCatalogue,
        options.eventsWritten,
        options.clients ?? identityClientDirectory(options.nc, options.subjects),
        (change) => eventDeliveries.grantsChanged(change),
      ),
      agencyEvents: new AgencyEventGate(options.nc, store, names),
      eventDeliveries,
      eventWebhooks: new WebhookManager(webhooks, webhookDispatcher, (clientId) => backlog.of(names.deliveryStream, webhookConsumer(clientId))),
      webhookDispatcher,
      eventSubscribers: new SubscriberHealth(store, webhooks, backlog, names),
    },
  };
}
