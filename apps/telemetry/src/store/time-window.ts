import { badUserInput } from '@simpul/kit';

/** A [from, to] window from the graph's ISO arguments; `defaultMs` back from now when from is not given. */
export function timeWindow(from: string | null | undefined, to: string | null | undefined, defaultMs: number, now = new Date()): { from: Date; to: Date } {
  const end = to ? parseTime(to, 'to') : now;
  const start = from ? parseTime(from, 'from') : new Date(end.getTime() - defaultMs);
  if (start > end) throw badUserInput('from: must not be after to', { field: 'from' });
  return { from: start, to: end };
}

export function parseTime(value: string, field: string): Date {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw badUserInput(`${field}: not an ISO-8601 time`, { field });
  return time;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
