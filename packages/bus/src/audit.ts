import { AuditRecorded, type AuditEntryData, type ServiceName, type Subjects } from '@simpul/contracts';
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
  await writeOutboxEvent(db, createEvent(subjects, AuditRecorded[service], { detail: {}, ...entry }));
}
