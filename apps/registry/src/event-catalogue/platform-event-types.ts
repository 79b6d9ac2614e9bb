import { PLATFORM_AGENCY_EVENT_TYPES, platformAgencyEventSchema, type PlatformAgencyEventType } from '@simpul/contracts';
import type { EventType } from './event-catalogue-store.ts';

const EPOCH = new Date(0);
const PLATFORM_ID_PREFIX = 'platform:';
/** The owner shown for a platform type listed for no agency in particular: every agency publishes (or receives) it as its own. */
export const ANY_AGENCY = '*';
const schemas = new Map<string, Record<string, unknown>>();

/**
 * A platform-defined agency event type (packages/contracts/src/platform-agency-events.ts)
 * as the catalogue row the gate works with, owned by the publishing agency: so its
 * accepted events go to `<ns>.agency.<publisher>.v<version>.<name>` and its grants and
 * deliveries work as for a declared type. The validator cache key is the type's, not the
 * agency's, as the schema is the same for all.
 */
export function platformEventTypeFor(publisherAgencyCode: string, type: PlatformAgencyEventType): EventType {
  const key = `${type.name}@${type.version}`;
  let schema = schemas.get(key);
  if (!schema) {
    schema = platformAgencyEventSchema(type);
    schemas.set(key, schema);
  }
  return {
    id: `${PLATFORM_ID_PREFIX}${key}`,
    ownerAgencyCode: publisherAgencyCode,
    name: type.name,
    version: type.version,
    description: type.description,
    payloadSchema: schema as EventType['payloadSchema'],
    declaredBy: 'platform',
    deprecatedAt: null,
    deprecationNote: null,
    createdAt: EPOCH,
  };
}

/** Whether a catalogue row is a platform-defined type (made by platformEventTypeFor), not an agency's declaration. */
export function isPlatformRow(type: Pick<EventType, 'id'>): boolean {
  return type.id.startsWith(PLATFORM_ID_PREFIX);
}

/**
 * The platform-defined types as catalogue rows: of `agencyCode` when the catalogue is
 * read for one agency (each agency publishes or receives them as its own), else owned by
 * ANY_AGENCY. So `eventTypes` lists them beside the declared ones, marked `platform`.
 */
export function platformCatalogueRows(agencyCode: string | undefined): EventType[] {
  return PLATFORM_AGENCY_EVENT_TYPES.map((type) => platformEventTypeFor(agencyCode ?? ANY_AGENCY, type));
}
