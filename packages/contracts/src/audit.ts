import { z } from 'zod';
import { defineEvent, type EventDefinition } from './events.ts';
import { SERVICES, type ServiceName } from './services.ts';

/**
 * A security-relevant action (login, permission denial, role change, signature,
 * designation, ...). Every service publishes its own through its outbox; identity
 * keeps the append-only audit log that auditors query.
 */
export const AuditEntryData = z.object({
  /** Dotted name of what was done, e.g. `auth.login`, `document.sign`, `application.designate`. */
  action: z.string().min(1).max(100),
  outcome: z.enum(['SUCCESS', 'DENIED', 'FAILED']),
  /** Who: a user or API client id, or null when not known (a failed login). */
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  actorAgencyCode: z.string().nullable(),
  /** What it was done to, e.g. `employee:198503302010011002`. */
  target: z.string().nullable(),
  /** From where: the client address the gateway saw, when known. */
  sourceAddress: z.string().nullable(),
  /** Short facts for the reader; never secrets. */
  detail: z.record(z.string(), z.unknown()).default({}),
});
export type AuditEntryData = z.infer<typeof AuditEntryData>;

function auditRecorded<S extends ServiceName>(service: S) {
  return defineEvent({ service, entity: 'audit', verb: 'recorded', version: 1, data: AuditEntryData });
}

/** The audit event each service publishes, e.g. `simpul.evt.documents.audit.recorded`. */
export const AuditRecorded = Object.fromEntries(SERVICES.map((s) => [s, auditRecorded(s)])) as {
  [S in ServiceName]: EventDefinition<typeof AuditEntryData>;
};
