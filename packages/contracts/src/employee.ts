import { z } from 'zod';

/**
 * A civil servant's number: the 18-digit NIP of a PNS/CPNS, or the 18-digit NI PPPK of
 * a contract employee. Only the shape is checked here; the personnel service checks
 * what the digits mean (birth date, TMT CPNS, sex, sequence) and explains each error.
 */
export const NIP_PATTERN = /^\d{18}$/;
export const Nip = z.string().regex(NIP_PATTERN, 'NIP: 18 digits');

/** ASN status: CPNS (on probation), PNS (career), PPPK (contract). */
export const ASN_STATUSES = ['CPNS', 'PNS', 'PPPK'] as const;
export type AsnStatus = (typeof ASN_STATUSES)[number];

/** A calendar date, `YYYY-MM-DD`, as events and the graph carry it (no time zone games). */
export const CalendarDate = z.iso.date();
