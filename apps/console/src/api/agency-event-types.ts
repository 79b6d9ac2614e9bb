/** What the registry's part of the graph answers for the agency events page (see AGENCY_EVENTS_QUERY). */

export interface CatalogueEntry {
  id: string;
  ownerAgencyCode: string;
  name: string;
  version: number;
  description: string;
  subject: string;
  platform: boolean;
  deprecated: boolean;
  deprecatedAt: string | null;
  deprecationReason: string | null;
  grantCount: number;
}

export interface WebhookHealth {
  url: string;
  status: 'HEALTHY' | 'FAILING' | 'DEAD_LETTERS';
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  deadLetters: number;
  pending: number | null;
}

export interface EventSubscriber {
  clientId: string;
  natsPending: number | null;
  grants: { ownerAgencyCode: string; eventType: string; version: number | null }[];
  webhook: WebhookHealth | null;
}

export interface EventRejection {
  id: string;
  agencyCode: string;
  eventId: string | null;
  eventType: string | null;
  version: number | null;
  channel: 'NATS' | 'HTTP';
  refusedBy: string;
  reason: string;
  excerpt: string;
  receivedAt: string;
}

export interface AgencyEventsAnswer {
  eventTypes: CatalogueEntry[];
  eventSubscribers: EventSubscriber[];
  eventRejections: EventRejection[];
}
