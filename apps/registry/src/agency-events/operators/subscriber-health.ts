import type { AgencyEventSubjects } from '@simpul/contracts';
import type { Principal } from '@simpul/kit';
import { requireOperatorReader } from '../../auth/permissions.ts';
import type { EventAccessGrant, EventCatalogueStore } from '../../event-catalogue/event-catalogue-store.ts';
import { webhookConsumer } from '../webhooks/webhook-dispatcher.ts';
import type { WebhookHealth } from '../webhooks/webhook-manager.ts';
import type { WebhookStore } from '../webhooks/webhook-store.ts';
import type { ConsumerBacklog } from './consumer-backlog.ts';

/** One API client that receives agency events, as the operators' console shows it. */
export interface SubscriberView {
  clientId: string;
  grants: EventAccessGrant[];
  /** Not yet acknowledged on its NATS consumer `deliver-<clientId>`; null when it has none. */
  natsPending: number | null;
  webhook: WebhookHealth | null;
}

/**
 * Every subscriber of the exchange at once (a client that holds a grant or has a
 * webhook), for operators: what it may receive, how far behind its NATS consumer is, and
 * how its webhook is doing (last delivery, failures, backlog, dead letters, last error).
 * One read of the grants and webhooks and one consumer lookup per subscriber: the list
 * is as long as the agency systems subscribed, tens to hundreds.
 */
export class SubscriberHealth {
  constructor(
    private readonly grants: EventCatalogueStore,
    private readonly webhooks: WebhookStore,
    private readonly backlog: ConsumerBacklog,
    private readonly names: AgencyEventSubjects,
  ) {}

  async list(principal: Principal | null): Promise<SubscriberView[]> {
    requireOperatorReader(principal);
    const [grants, webhooks, deadLetters] = await Promise.all([this.grants.allGrants(), this.webhooks.all(), this.webhooks.deadLetterCounts()]);
    const byClient = new Map<string, EventAccessGrant[]>();
    for (const grant of grants) byClient.set(grant.clientId, [...(byClient.get(grant.clientId) ?? []), grant]);
    for (const webhook of webhooks) if (!byClient.has(webhook.clientId)) byClient.set(webhook.clientId, []);
    const hooks = new Map(webhooks.map((w) => [w.clientId, w]));
    const clients = [...byClient.keys()].sort();
    return Promise.all(
      clients.map(async (clientId): Promise<SubscriberView> => {
        const webhook = hooks.get(clientId);
        return {
          clientId,
          grants: byClient.get(clientId) ?? [],
          natsPending: await this.backlog.of(this.names.deliveryStream, this.names.deliveryConsumer(clientId)),
          webhook: webhook
            ? { webhook, deadLetters: deadLetters.get(clientId) ?? 0, pending: await this.backlog.of(this.names.deliveryStream, webhookConsumer(clientId)) }
            : null,
        };
      }),
    );
  }
}
