import { platformAgencyEventSchema, type PlatformAgencyEventType } from '@simpul/contracts';
import type { EventType } from './event-catalogue-store.ts';

const EPOCH = new Date(0);
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
    id: `platform:${key}`,
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
