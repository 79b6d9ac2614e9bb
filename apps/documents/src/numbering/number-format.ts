import { badUserInput } from '@simpul/kit';

/** The common shape of a document number (nomor naskah dinas). */
export const DEFAULT_NUMBER_FORMAT = '{seq}/{unitCode}/{classificationCode}/{MM}/{YYYY}';

const PLACEHOLDERS = ['seq', 'unitCode', 'classificationCode', 'agencyCode', 'MM', 'YYYY'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

export interface NumberParts {
  seq: number;
  unitCode: string | null;
  classificationCode: string;
  agencyCode: string;
  /** When it was signed; month and year are taken in Western Indonesia Time (WIB, UTC+7). */
  signedAt: Date;
}

/** Year and month of an instant in WIB: a letter signed at 00:30 WIB on 1 January belongs to the new year. */
export function wibYearMonth(at: Date): { year: number; month: number } {
  const shifted = new Date(at.getTime() + 7 * 60 * 60 * 1000);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1 };
}

/** Checks a format: known placeholders only, and `{seq}` exactly once (else two letters could share a number). */
export function validateNumberFormat(format: string, field = 'format'): string {
  const trimmed = format.trim();
  if (trimmed.length === 0 || trimmed.length > 120) throw badUserInput(`${field}: 1-120 characters`, { field });
  const used = [...trimmed.matchAll(/\{([^}]*)\}/g)].map((m) => m[1] ?? '');
  const unknown = used.filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown.length) {
    throw badUserInput(`${field}: unknown placeholder {${unknown[0]}}; use ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`, { field });
  }
  if (used.filter((name) => name === 'seq').length !== 1) throw badUserInput(`${field}: must contain {seq} exactly once`, { field });
  return trimmed;
}

/** The number in an agency's format, e.g. `12/SETDA.UMUM/000.1.2/03/2026`. */
export function formatDocumentNumber(format: string, parts: NumberParts): string {
  const { year, month } = wibYearMonth(parts.signedAt);
  const values: Record<Placeholder, string> = {
    seq: String(parts.seq),
    unitCode: parts.unitCode ?? parts.agencyCode,
    classificationCode: parts.classificationCode,
    agencyCode: parts.agencyCode,
    MM: String(month).padStart(2, '0'),
    YYYY: String(year),
  };
  return format.replace(/\{([^}]*)\}/g, (_, name: string) => values[name as Placeholder] ?? '');
}
