import type { AuditEntry as AuditEntryRow } from '../../audit/audit-store.ts';
import { iso, type Resolver } from './types.ts';

export const AuditEntry = {
  occurredAt: ((e) => iso(e.occurredAt)) satisfies Resolver<AuditEntryRow>,
  recordedAt: ((e) => iso(e.recordedAt)) satisfies Resolver<AuditEntryRow>,
  detail: ((e) => JSON.stringify(e.detail ?? {})) satisfies Resolver<AuditEntryRow>,
};
