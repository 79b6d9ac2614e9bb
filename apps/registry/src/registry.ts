import type { Subjects } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';
import type { PrismaClient } from './db.ts';
import { ApplicationStore } from './applications/application-store.ts';
import { ApplicationManager } from './applications/application-manager.ts';
import { AccessStore } from './access/access-store.ts';
import { AccessManager } from './access/access-manager.ts';
import { AdoptionStore } from './adoption/adoption-store.ts';
import { AdoptionManager } from './adoption/adoption-manager.ts';
import { DuplicateAnalyser } from './analysis/duplicate-analyser.ts';
import { ReportManager } from './reports/report-manager.ts';
import { AgencyStore } from './agencies/agency-store.ts';
import { DecisionStore } from './review/decision-store.ts';
import { ReviewManager } from './review/review-manager.ts';
import type { NatsConnection } from '@simpul/bus';
import type { EventCatalogueStore } from './event-catalogue/event-catalogue-store.ts';
import { createAgencyEventParts, type AgencyEventManagers } from './agency-events/parts.ts';
import type { ClientDirectory } from './event-catalogue/client-directory.ts';
import type { WebhookRetryPolicy } from './agency-events/webhooks/webhook-dispatcher.ts';

export interface RegistryStores {
  applications: ApplicationStore;
  access: AccessStore;
  adoptions: AdoptionStore;
  agencies: AgencyStore;
  decisions: DecisionStore;
  eventCatalogue: EventCatalogueStore;
}

export interface RegistryManagers extends AgencyEventManagers {
  applications: ApplicationManager;
  access: AccessManager;
  adoptions: AdoptionManager;
  analyser: DuplicateAnalyser;
  reports: ReportManager;
  reviews: ReviewManager;
}

export interface RegistryPartsOptions {
  subjects: Subjects;
  nc: NatsConnection;
  minScore: number;
  logger: Logger;
  /** Called after a committed change wrote events to the outbox. */
  eventsWritten: () => void;
  /** Retries of agency event webhooks (src/agency-events/webhooks/). */
  webhookRetry?: WebhookRetryPolicy | undefined;
  /** Where grants check their API client; identity over NATS unless given (tests). */
  clients?: ClientDirectory | undefined;
}

/** Wires the registry's stores and managers over one Prisma client. */
export function createRegistryParts(prisma: PrismaClient, options: RegistryPartsOptions): { stores: RegistryStores; managers: RegistryManagers } {
  const agencyEvents = createAgencyEventParts(prisma, options);
  const stores: RegistryStores = {
    eventCatalogue: agencyEvents.store,
    applications: new ApplicationStore(prisma),
    access: new AccessStore(prisma, options.subjects),
    adoptions: new AdoptionStore(prisma),
    agencies: new AgencyStore(prisma),
    decisions: new DecisionStore(prisma),
  };
  const applications = new ApplicationManager(stores.applications, prisma, options.subjects, options.eventsWritten);
  const analyser = new DuplicateAnalyser(stores.applications, stores.decisions, prisma, options.minScore, options.logger.child({ component: 'duplicates' }));
  return {
    stores,
    managers: {
      ...agencyEvents.managers,
      applications,
      access: new AccessManager(stores.access, prisma, options.subjects, options.eventsWritten),
      adoptions: new AdoptionManager(stores.adoptions, applications, options.subjects, options.eventsWritten),
      analyser,
      reports: new ReportManager(stores.applications, stores.adoptions, analyser),
      reviews: new ReviewManager(stores.decisions, stores.applications, analyser, prisma, options.subjects, options.eventsWritten),
    },
  };
}
