import type { NatsConnection } from '@simpul/bus';
import { agencyEventSubjects, type Subjects } from '@simpul/contracts';
import type { PrismaClient } from '../db.ts';
import { EventCatalogueStore } from '../event-catalogue/event-catalogue-store.ts';
import { EventCatalogueManager } from '../event-catalogue/event-catalogue-manager.ts';
import { EventAccessManager, type GrantsChanged } from '../event-catalogue/event-access-manager.ts';
import { AgencyEventGate } from './agency-event-gate.ts';

export interface AgencyEventManagers {
  eventCatalogue: EventCatalogueManager;
  eventAccess: EventAccessManager;
  agencyEvents: AgencyEventGate;
}

/** The event catalogue, its grants and the gate of agency events, over the registry's database and bus. */
export function createAgencyEventParts(
  prisma: PrismaClient,
  options: { nc: NatsConnection; subjects: Subjects; eventsWritten: () => void; grantsChanged?: GrantsChanged },
): { store: EventCatalogueStore; managers: AgencyEventManagers } {
  const store = new EventCatalogueStore(prisma, options.subjects);
  const eventCatalogue = new EventCatalogueManager(store, prisma, options.subjects, options.eventsWritten);
  return {
    store,
    managers: {
      eventCatalogue,
      eventAccess: new EventAccessManager(store, eventCatalogue, options.eventsWritten, options.grantsChanged),
      agencyEvents: new AgencyEventGate(options.nc, store, agencyEventSubjects(options.subjects)),
    },
  };
}
