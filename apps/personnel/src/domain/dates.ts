/**
 * Calendar dates (`YYYY-MM-DD`) as plain values: no time zones, no clocks. PostgreSQL
 * `date` columns reach us as UTC midnights, so conversions use UTC throughout.
 */
export interface Ymd {
  year: number;
  month: number;
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Whether the year, month and day name a day that exists. */
export function isRealDate({ year, month, day }: Ymd): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** `YYYY-MM-DD` → parts, or undefined when the text is not a real date. */
export function parseDate(text: string): Ymd | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const ymd = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return isRealDate(ymd) ? ymd : undefined;
}

export function formatDate({ year, month, day }: Ymd): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Compares two `YYYY-MM-DD` strings (they sort as text). */
export function compareDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The anniversary `years` after `date`. Someone born on 29 February has their
 * birthday on 1 March in a common year (they have completed the years only then).
 */
export function addYears(date: Ymd, years: number): Ymd {
  const year = date.year + years;
  if (date.month === 2 && date.day === 29 && !isLeapYear(year)) return { year, month: 3, day: 1 };
  return { year, month: date.month, day: date.day };
}

/** The first day of the month after `date`'s month. */
export function firstOfNextMonth(date: Ymd): Ymd {
  return date.month === 12 ? { year: date.year + 1, month: 1, day: 1 } : { year: date.year, month: date.month + 1, day: 1 };
}

/** Adds whole months, keeping the day when it exists and using the month's last day otherwise. */
export function addMonths(date: Ymd, months: number): Ymd {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

/** Today's date in Indonesia's western time zone (WIB, UTC+7), where the records are kept. */
export function todayInJakarta(nowMs: number): string {
  return new Date(nowMs + 7 * 3_600_000).toISOString().slice(0, 10);
}

export function toDbDate(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

export function fromDbDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Whole years and months from `from` to `to` (`to` not earlier), e.g. for "3 years 2 months in rank". */
export function elapsed(from: Ymd, to: Ymd): { years: number; months: number } {
  let months = (to.year - from.year) * 12 + (to.month - from.month);
  if (to.day < from.day) months--;
  return { years: Math.floor(months / 12), months: months % 12 };
}
