import { z } from 'zod';

/** Kinds of agency (instansi). Regions (province, regency, city) may have a parent. */
export const AGENCY_KINDS = ['MINISTRY', 'AGENCY', 'PROVINCE', 'REGENCY', 'CITY'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

/**
 * An agency code is its X-Road member code: it never changes and appears in service
 * identifiers (`ID/PEMDA/3510/...`). It is also a NATS subject token (an agency
 * system's `<ns>.ext.<agencyCode>.>` and the permissions over it), so it is restricted
 * to upper-case letters, digits and `-`: no `.` that would nest one agency's subjects
 * under another's, no wildcard, no case twins. Every such code passes `subjectToken`.
 */
export const AGENCY_CODE_PATTERN = /^[A-Z0-9-]{2,32}$/;
export const AGENCY_CODE_RULE = '2-32 characters of A-Z 0-9 -';
export const AgencyCode = z.string().regex(AGENCY_CODE_PATTERN, `Agency code: ${AGENCY_CODE_RULE}`);

/** A work unit (unit organisasi) code, used inside document numbers. */
export const UNIT_CODE_PATTERN = /^[A-Za-z0-9.\-]{1,24}$/;
export const UnitCode = z.string().regex(UNIT_CODE_PATTERN, 'Unit code: 1-24 characters of A-Z a-z 0-9 . -');
