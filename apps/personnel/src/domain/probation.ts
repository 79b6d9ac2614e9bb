import type { AsnStatus } from '@simpul/contracts';
import { addYears, compareDates, formatDate, parseDate } from './dates.ts';

/** A CPNS serves a year of probation before appointment as PNS. */
export const PROBATION_YEARS = 1;

export type ConfirmationDecision = { ok: true } | { ok: false; field: string; message: string };

/**
 * Pengangkatan PNS: only a CPNS, and not before the probation year since appointment
 * (`appointedOn`, the first career event) is complete.
 */
export function decideConfirmation(asnStatus: AsnStatus, appointedOn: string, effectiveDate: string): ConfirmationDecision {
  if (asnStatus !== 'CPNS') return { ok: false, field: 'nip', message: `Only a CPNS is appointed PNS; this employee is ${asnStatus}` };
  const start = parseDate(appointedOn);
  if (!start) return { ok: false, field: 'effectiveDate', message: 'effectiveDate: the appointment date is unreadable' };
  const due = formatDate(addYears(start, PROBATION_YEARS));
  if (compareDates(effectiveDate, due) < 0) {
    return {
      ok: false,
      field: 'effectiveDate',
      message: `effectiveDate: probation runs a year from the appointment (${appointedOn}); confirmation is possible from ${due}`,
    };
  }
  return { ok: true };
}
