import type { NatsConnection } from '@simpul/bus';
import { agencyEventSubjects, type Subjects } from '@simpul/contracts';
import type { PrismaClient } from '../db.ts';
import { EventCatalogueStore } from '../event-catalogue/event-catalogue-store.ts';
import { EventCatalogueManager } from '../event-catalogue/event-catalogue-manager.ts';
import { EventAccessManager } from '../event-catalogue/event-access-manager.ts';
import type { Logger } from '@simpul/kit';
import { AgencyEventGate } from './agency-event-gate.ts';
import { SubscriberDeliveries } from './subscriber-deliveries.ts';

export interface AgencyEventManagers {
  eventCatalogue: EventCatalogueManager;
  eventAccess: EventAccessManager;
  agencyEvents: AgencyEventGate;
  eventDeliveries: SubscriberDeliveries;
}

/** The event catalogue, its grants and the gate of agency events, over the registry's database and bus. */
export function createAgencyEventParts(
  prisma: PrismaClient,
  options: { nc: NatsConnection; subjects: Subjects; logger: Logger; eventsWritten: () => void },
): { store: EventCatalogueStore; managers: AgencyEventManagers } {
  const store = new EventCatalogueStore(prisma, options.subjects);
  const eventCatalogue = new EventCatalogueManager(store, prisma, options.subjects, options.eventsWritten);
  const names = agencyEventSubjects(options.subjects);
  const eventDeliveries = new SubscriberDeliveries(options.nc, store, names, options.logger.child({ component: 'agency-event-deliveries' }));
  return {
    store,
    managers: {
      eventCatalogue,
      eventAccess: new EventAccessManager(store, eventCatalogue, options.eventsWritten, (change) => eventDeliveries.grantsChanged(change)),
      agencyEvents: new AgencyEventGate(options.nc, store, names),
      eventDeliveries,
    },
  };
}
