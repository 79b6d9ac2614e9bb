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
});
