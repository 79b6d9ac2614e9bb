import { ErrorCode } from '@simpul/contracts';
import type { AuditAction } from '../../audit/audit-trail.ts';
import { ACCOUNT_LOCKED } from '../../auth/auth-manager.ts';
import type { IdentityContext } from '../context.ts';

type Described = Omit<AuditAction, 'outcome'>;

/**
 * Runs a security-relevant mutation and records its outcome in the audit log: SUCCESS,
 * FAILED for wrong credentials, DENIED for a locked account (which the caller is told
 * apart from wrong credentials only here, in the audit log). FORBIDDEN answers are
 * recorded for every field alike (bus's auditDenials), so not here.
 */
export async function audited<T>(ctx: IdentityContext, entry: Described, work: () => Promise<T>, onSuccess?: (result: T) => Partial<Described>): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
    if ((error as { [ACCOUNT_LOCKED]?: boolean })[ACCOUNT_LOCKED]) {
      await ctx.audit({ ...entry, outcome: 'DENIED', detail: { ...entry.detail, reason: 'account locked' } });
    } else if (code === ErrorCode.Unauthenticated) {
      await ctx.audit({ ...entry, outcome: 'FAILED', detail: { ...entry.detail, reason: (error as Error).message } });
    }
    throw error;
  }
  await ctx.audit({ ...entry, ...onSuccess?.(result), outcome: 'SUCCESS' });
  return result;
}
