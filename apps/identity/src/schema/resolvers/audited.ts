import { ErrorCode } from '@simpul/contracts';
import type { AuditAction } from '../../audit/audit-trail.ts';
import type { IdentityContext } from '../context.ts';

type Described = Omit<AuditAction, 'outcome'>;

/**
 * Runs a security-relevant mutation and records its outcome in the audit log: SUCCESS,
 * FAILED for wrong credentials, DENIED for a locked account. FORBIDDEN answers are
 * recorded for every field alike (bus's auditDenials), so not here.
 */
export async function audited<T>(
  ctx: IdentityContext,
  entry: Described,
  work: () => Promise<T>,
  onSuccess?: (result: T) => Partial<Described>,
): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
    if (code === ErrorCode.Unauthenticated) await ctx.audit({ ...entry, outcome: 'FAILED', detail: { ...entry.detail, reason: (error as Error).message } });
    else if (code === ErrorCode.AccountLocked) await ctx.audit({ ...entry, outcome: 'DENIED', detail: { ...entry.detail, reason: 'account locked' } });
    throw error;
  }
  await ctx.audit({ ...entry, ...onSuccess?.(result), outcome: 'SUCCESS' });
  return result;
}
