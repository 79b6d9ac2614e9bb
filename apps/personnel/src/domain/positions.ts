import type { PositionType } from '@simpul/contracts';
import { firstOfNextMonth, formatDate, parseDate } from './dates.ts';

export type PositionGroup = 'LEADERSHIP' | 'ADMINISTRATION' | 'FUNCTIONAL_SKILL' | 'FUNCTIONAL_CRAFT';

export interface PositionTypeInfo {
  type: PositionType;
  label: string;
  group: PositionGroup;
  /** Retirement age (batas usia pensiun, BUP). */
  retirementAge: number;
}

/**
 * BUP: 58 for administration positions, functional Ahli Pertama and Ahli Muda and the
 * whole craft track; 60 for JPT (leadership) and Ahli Madya; 65 for Ahli Utama.
 */
export const POSITION_TYPE_INFO: Record<PositionType, PositionTypeInfo> = {
  JPT_UTAMA: { type: 'JPT_UTAMA', label: 'JPT Utama', group: 'LEADERSHIP', retirementAge: 60 },
  JPT_MADYA: { type: 'JPT_MADYA', label: 'JPT Madya', group: 'LEADERSHIP', retirementAge: 60 },
  JPT_PRATAMA: { type: 'JPT_PRATAMA', label: 'JPT Pratama', group: 'LEADERSHIP', retirementAge: 60 },
  ADMINISTRATOR: { type: 'ADMINISTRATOR', label: 'Administrator', group: 'ADMINISTRATION', retirementAge: 58 },
  PENGAWAS: { type: 'PENGAWAS', label: 'Pengawas', group: 'ADMINISTRATION', retirementAge: 58 },
  PELAKSANA: { type: 'PELAKSANA', label: 'Pelaksana', group: 'ADMINISTRATION', retirementAge: 58 },
  AHLI_PERTAMA: { type: 'AHLI_PERTAMA', label: 'Ahli Pertama', group: 'FUNCTIONAL_SKILL', retirementAge: 58 },
  AHLI_MUDA: { type: 'AHLI_MUDA', label: 'Ahli Muda', group: 'FUNCTIONAL_SKILL', retirementAge: 58 },
  AHLI_MADYA: { type: 'AHLI_MADYA', label: 'Ahli Madya', group: 'FUNCTIONAL_SKILL', retirementAge: 60 },
  AHLI_UTAMA: { type: 'AHLI_UTAMA', label: 'Ahli Utama', group: 'FUNCTIONAL_SKILL', retirementAge: 65 },
  PEMULA: { type: 'PEMULA', label: 'Pemula', group: 'FUNCTIONAL_CRAFT', retirementAge: 58 },
  TERAMPIL: { type: 'TERAMPIL', label: 'Terampil', group: 'FUNCTIONAL_CRAFT', retirementAge: 58 },
  MAHIR: { type: 'MAHIR', label: 'Mahir', group: 'FUNCTIONAL_CRAFT', retirementAge: 58 },
  PENYELIA: { type: 'PENYELIA', label: 'Penyelia', group: 'FUNCTIONAL_CRAFT', retirementAge: 58 },
};

export function isPositionType(value: string): value is PositionType {
  return Object.hasOwn(POSITION_TYPE_INFO, value);
}

/**
 * The day retirement takes effect: the first day of the month after the birthday at
 * the position's BUP (born 15 May 1968, BUP 58 → 1 June 2026). Only the birth month
 * counts: someone born on 29 February reaches BUP in February (→ 1 March) whether or
 * not that year is a leap year.
 */
export function retirementDate(birthDate: string, positionType: PositionType): string {
  const birth = parseDate(birthDate);
  if (!birth) throw new Error(`not a date: ${birthDate}`);
  const age = POSITION_TYPE_INFO[positionType].retirementAge;
  return formatDate(firstOfNextMonth({ year: birth.year + age, month: birth.month, day: 1 }));
}
