import { z } from 'zod';

/** Kinds of agency (instansi). Regions (province, regency, city) may have a parent. */
export const AGENCY_KINDS = ['MINISTRY', 'AGENCY', 'PROVINCE', 'REGENCY', 'CITY'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

/**
 * An agency code is its X-Road member code: it never changes and appears in service
 * identifiers (`ID/PEMDA/3510/...`), so it is restricted to X-Road's member-code
 * characters, without the spaces and slashes that would break those identifiers.
 */
export const AGENCY_CODE_PATTERN = /^[A-Za-z0-9'()+,\-.=?]{2,32}$/;
export const AgencyCode = z
  .string()
  .regex(AGENCY_CODE_PATTERN, "Agency code: 2-32 characters of A-Z a-z 0-9 ' ( ) + , - . = ?");

/** A work unit (unit organisasi) code, used inside document numbers. */
export const UNIT_CODE_PATTERN = /^[A-Za-z0-9.\-]{1,24}$/;
export const UnitCode = z.string().regex(UNIT_CODE_PATTERN, 'Unit code: 1-24 characters of A-Z a-z 0-9 . -');
