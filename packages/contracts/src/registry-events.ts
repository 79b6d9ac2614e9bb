import { z } from 'zod';
import { AgencyCode } from './agency.ts';
import { defineEvent } from './events.ts';

/** registry: an application was registered in the catalogue or changed; duplicate analysis runs. */
export const ApplicationRegistered = defineEvent({
  service: 'registry',
  entity: 'application',
  verb: 'registered',
  version: 1,
  data: z.object({
    id: z.string().min(1),
    ownerAgencyCode: AgencyCode,
    name: z.string().min(1),
  }),
  aggregate: (application) => application.id,
});

/** registry: an application's catalogue entry changed (functions, description, status, ...); duplicate analysis runs again. */
export const ApplicationUpdated = defineEvent({
  service: 'registry',
  entity: 'application',
  verb: 'updated',
  version: 1,
  data: ApplicationRegistered.data,
  aggregate: (application) => application.id,
});

/** registry: a national administrator designated an application as aplikasi umum. */
export const ApplicationDesignated = defineEvent({
  service: 'registry',
  entity: 'application',
  verb: 'designated',
  version: 1,
  data: z.object({
    id: z.string().min(1),
    ownerAgencyCode: AgencyCode,
    name: z.string().min(1),
    functionCodes: z.array(z.string().min(1)),
  }),
  aggregate: (application) => application.id,
});
