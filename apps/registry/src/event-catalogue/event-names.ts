import { badUserInput } from '@simpul/kit';

/**
 * How agency event types are named. A name is the tail of the subject the agency's
 * system publishes on (`<ns>.ext.<agencyCode>.<name>`), so it is made of NATS subject
 * tokens: lower-case words joined by dots, e.g. `sppd.issued`, `pegawai.diangkat`.
 */
const EVENT_NAME = /^[a-z][a-z0-9_-]{0,39}(\.[a-z][a-z0-9_-]{0,39}){0,5}$/;
/** identity's API client ids: `sc_` and 24 hex digits. */
const CLIENT_ID = /^sc_[0-9a-f]{24}$/;
export const MAX_VERSION = 1000;

export function isEventName(value: string): boolean {
  return EVENT_NAME.test(value);
}

export function eventName(value: string, field = 'name'): string {
  const name = value.trim();
  if (!isEventName(name)) {
    throw badUserInput(`${field}: "${value}" is not an event type name: lower-case words (letters, digits, _ or -) joined by dots, e.g. "sppd.issued"`, {
      field,
    });
  }
  return name;
}

export function eventVersion(value: number, field = 'version'): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_VERSION) throw badUserInput(`${field}: must be a whole number from 1 to ${MAX_VERSION}`, { field });
  return value;
}

export function apiClientId(value: string, field = 'clientId'): string {
  const id = value.trim();
  if (!CLIENT_ID.test(id))
    throw badUserInput(`${field}: "${value}" is not an API client id (sc_ and 24 hexadecimal digits, as registerApiClient gives)`, { field });
  return id;
}

/** `KOMINFO/sppd.issued@2`: how an event type is named in audit entries and messages. */
export function eventTypeLabel(ownerAgencyCode: string, name: string, version?: number | null): string {
  return `${ownerAgencyCode}/${name}${version ? `@${version}` : ''}`;
}
