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

/**
 * The 17 steps of a PNS rank (golongan/ruang), lowest first. Their titles and the
 * promotion rules live in the personnel service; the codes are shared because events
 * and other services' records carry them.
 */
export const GOLONGAN = [
  'I/a',
  'I/b',
  'I/c',
  'I/d',
  'II/a',
  'II/b',
  'II/c',
  'II/d',
  'III/a',
  'III/b',
  'III/c',
  'III/d',
  'IV/a',
  'IV/b',
  'IV/c',
  'IV/d',
  'IV/e',
] as const;
export type Golongan = (typeof GOLONGAN)[number];

/** The 17 grades of a PPPK (contract) employee, lowest first. */
export const PPPK_GRADES = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII', 'XIII', 'XIV', 'XV', 'XVI', 'XVII'] as const;
export type PppkGrade = (typeof PPPK_GRADES)[number];

/**
 * Kinds of position (jabatan): leadership (JPT), administration, and the functional
 * skill (keahlian) and craft (keterampilan) tracks with their levels.
 */
export const POSITION_TYPES = [
  'JPT_UTAMA',
  'JPT_MADYA',
  'JPT_PRATAMA',
  'ADMINISTRATOR',
  'PENGAWAS',
  'PELAKSANA',
  'AHLI_PERTAMA',
  'AHLI_MUDA',
  'AHLI_MADYA',
  'AHLI_UTAMA',
  'PEMULA',
  'TERAMPIL',
  'MAHIR',
  'PENYELIA',
] as const;
export type PositionType = (typeof POSITION_TYPES)[number];
