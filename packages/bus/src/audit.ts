import type { GraphQLError } from 'graphql';
import { AuditRecorded, ErrorCode, type AuditEntryData, type ServiceName, type Subjects } from '@simpul/contracts';
import type { Principal } from '@simpul/kit';
import type { RequestInfo } from './graphql-responder.ts';
import { currentRequest } from './request-scope.ts';
import { createEvent } from './events.ts';
import { writeOutboxEvent, type RawSql } from './outbox-sql.ts';

/**
 * Records a security-relevant action through the service's outbox. Inside a
 * transaction (`tx`), the entry exists exactly when the change does; for an action
 * that changes nothing (a denial, a failed login) pass the client itself.
 */
export async function recordAudit(
  db: RawSql,
  subjects: Subjects,
  service: ServiceName,
  entry: Omit<AuditEntryData, 'detail'> & { detail?: AuditEntryData['detail'] },
): Promise<void> {
  // An entry that does not know where the request came from takes it from the request
  // being answered, so every service's entries say "from where" without passing it down.
  const sourceAddress = entry.sourceAddress ?? currentRequest()?.clientAddress ?? null;
  await writeOutboxEvent(db, createEvent(subjects, AuditRecorded[service], { detail: {}, ...entry, sourceAddress }));
}

/**
 * serveGraphQL's `onErrors` for a service: every FORBIDDEN answer becomes a
 * `permission.denied` audit entry (who, which field, from where). `written` nudges the
 * outbox relay. A failure to record is logged by serveGraphQL, never sent to the caller.
 */
export function auditDenials(
  db: RawSql,
  subjects: Subjects,
  service: ServiceName,
  written: () => void = () => {},
): (errors: readonly GraphQLError[], context: { principal: Principal | null }, request: RequestInfo) => Promise<void> {
  return async (errors, { principal }, request) => {
    const denials = errors.filter((e) => e.extensions?.code === ErrorCode.Forbidden);
    for (const error of denials) {
      await recordAudit(db, subjects, service, {
        action: 'permission.denied',
        outcome: 'DENIED',
        actorId: principal?.id ?? null,
        actorName: principal?.username ?? null,
        actorAgencyCode: principal?.agencyCode ?? null,
        target: error.path ? `field:${error.path.filter((p) => typeof p === 'string').join('.')}` : null,
        sourceAddress: request.clientAddress,
        detail: { message: error.message },
      });
    }
    if (denials.length > 0) written();
  };
}
