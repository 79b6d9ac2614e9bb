import { addYears, compareDates, formatDate, isRealDate, type Ymd } from './dates.ts';

/**
 * The NIP (nomor induk pegawai) of a PNS, 18 digits, reads:
 *   YYYYMMDD birth date · YYYYMM start of CPNS (TMT CPNS) · sex digit (1 male, 2 female) · 3-digit sequence.
 * The NI PPPK of a contract employee has the same layout (TMT is the contract's start).
 * parseNip explains what is wrong and in which segment, so a form can say so.
 */
export type NipSegment = 'format' | 'birthDate' | 'tmt' | 'sex' | 'sequence';

export interface NipParts {
  nip: string;
  birthDate: string;
  /** TMT CPNS as `YYYY-MM`. */
  tmt: string;
  /** The first day of the TMT month, `YYYY-MM-01`. */
  tmtDate: string;
  sex: 'MALE' | 'FEMALE';
  sequence: number;
}

export type NipResult = { ok: true; parts: NipParts } | { ok: false; segment: NipSegment; message: string };

const fail = (segment: NipSegment, message: string): NipResult => ({ ok: false, segment, message });

/**
 * Reads a NIP against `today` (`YYYY-MM-DD`): a real birth date, a TMT after the 18th
 * birthday and not in the future, a sex digit of 1 or 2 and a sequence of at least 001.
 */
export function parseNip(input: string, today: string): NipResult {
  const nip = input.trim();
  const stray = /\D/.exec(nip);
  if (stray) return fail('format', `NIP must be 18 digits; "${stray[0]}" at position ${stray.index + 1} is not a digit`);
  if (nip.length !== 18) return fail('format', `NIP must be 18 digits; this one has ${nip.length}`);

  const birth: Ymd = { year: Number(nip.slice(0, 4)), month: Number(nip.slice(4, 6)), day: Number(nip.slice(6, 8)) };
  const birthText = `${nip.slice(0, 4)}-${nip.slice(4, 6)}-${nip.slice(6, 8)}`;
  if (!isRealDate(birth)) {
    const why = birth.month < 1 || birth.month > 12 ? `there is no month ${nip.slice(4, 6)}` : `${birthText} does not exist`;
    return fail('birthDate', `NIP digits 1-8 are the birth date: ${why}`);
  }
  if (birth.year < 1900) return fail('birthDate', `NIP digits 1-8 are the birth date: ${birthText} is too long ago`);
  const birthDate = formatDate(birth);
  if (compareDates(birthDate, today) > 0) return fail('birthDate', `NIP digits 1-8 are the birth date: ${birthDate} is in the future`);

  const tmtYear = Number(nip.slice(8, 12));
  const tmtMonth = Number(nip.slice(12, 14));
  const tmt = `${nip.slice(8, 12)}-${nip.slice(12, 14)}`;
  if (tmtMonth < 1 || tmtMonth > 12) return fail('tmt', `NIP digits 9-14 are the TMT CPNS (year and month): there is no month ${nip.slice(12, 14)}`);
  const tmtDate = formatDate({ year: tmtYear, month: tmtMonth, day: 1 });
  const eighteenth = formatDate(addYears(birth, 18));
  if (compareDates(tmtDate, eighteenth) < 0) {
    return fail('tmt', `NIP digits 9-14 are the TMT CPNS: ${tmt} is before the 18th birthday (${eighteenth})`);
  }
  if (tmt > today.slice(0, 7)) return fail('tmt', `NIP digits 9-14 are the TMT CPNS: ${tmt} is in the future`);

  const sexDigit = nip[14];
  if (sexDigit !== '1' && sexDigit !== '2') return fail('sex', `NIP digit 15 is the sex: 1 (male) or 2 (female), not ${sexDigit}`);

  const sequence = Number(nip.slice(15, 18));
  if (sequence < 1) return fail('sequence', 'NIP digits 16-18 are the sequence number: it starts at 001, not 000');

  return { ok: true, parts: { nip, birthDate, tmt, tmtDate, sex: sexDigit === '1' ? 'MALE' : 'FEMALE', sequence } };
}
