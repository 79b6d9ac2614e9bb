import type { EventType } from '../event-catalogue/event-catalogue-store.ts';
import { eventTypeLabel } from '../event-catalogue/event-names.ts';

/**
 * What publishing a deprecated version means: it is still accepted, stored and delivered
 * (subscribers and publishers need time to move to the next version), and the answer
 * carries this warning (HTTP body and `Deprecation` header, the NATS verdict) so the
 * publisher learns it before the version is removed. Null for a current version.
 */
export function deprecationWarning(type: EventType): string | null {
  if (!type.deprecatedAt) return null;
  const label = eventTypeLabel(type.ownerAgencyCode, type.name, type.version);
  return `${label} is deprecated since ${type.deprecatedAt.toISOString().slice(0, 10)}${type.deprecationNote ? ` (${type.deprecationNote})` : ''}; publish a current version`;
}
