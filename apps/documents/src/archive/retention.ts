/**
 * Retention (Jadwal Retensi Arsip, JRA): a record stays active for some years, then
 * inactive for some more, then is destroyed or, if it is permanent, transferred to the
 * national archive (ANRI). Periods count from when the record was signed.
 */
export type FinalDisposition = 'DESTROY' | 'PERMANENT';
export type RetentionPhase = 'ACTIVE' | 'INACTIVE' | 'DUE_FOR_DESTRUCTION' | 'DUE_FOR_TRANSFER';

export interface RetentionRule {
  activeYears: number;
  inactiveYears: number;
  finalDisposition: FinalDisposition;
}

export function addYears(date: Date, years: number): Date {
  const next = new Date(date.getTime());
  next.setUTCFullYear(next.getUTCFullYear() + years);
  return next;
}

export function retentionDates(start: Date, rule: RetentionRule): { activeUntil: Date; retentionEndsAt: Date } {
  const activeUntil = addYears(start, rule.activeYears);
  return { activeUntil, retentionEndsAt: addYears(activeUntil, rule.inactiveYears) };
}

export function retentionPhase(dates: { activeUntil: Date; retentionEndsAt: Date; finalDisposition: FinalDisposition }, asOf: Date): RetentionPhase {
  if (asOf < dates.activeUntil) return 'ACTIVE';
  if (asOf < dates.retentionEndsAt) return 'INACTIVE';
  return dates.finalDisposition === 'PERMANENT' ? 'DUE_FOR_TRANSFER' : 'DUE_FOR_DESTRUCTION';
}
