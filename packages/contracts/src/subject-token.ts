/**
 * Every value a user or an operator supplies that becomes part of a NATS subject (an
 * agency code, a namespace, an instance id) is checked here, once. NATS splits
 * subjects at `.` and treats `*` and `>` as wildcards, so a value with any of them
 * would nest or widen subjects and the permissions written over them: an agency
 * `KOMINFO.PUSDATIN` would fall under `KOMINFO`'s `<ns>.ext.KOMINFO.>`.
 */
export const SUBJECT_TOKEN_PATTERN = /^[A-Za-z0-9_-]+$/;

/** The token unchanged, or an error naming what it was and what is allowed. */
export function subjectToken(value: string, what: string): string {
  if (typeof value !== 'string' || !SUBJECT_TOKEN_PATTERN.test(value)) {
    throw new InvalidSubjectTokenError(`Invalid ${what} "${String(value).slice(0, 64)}": use letters, digits, _ or - (it becomes part of a NATS subject)`);
  }
  return value;
}

export function isSubjectToken(value: string): boolean {
  return SUBJECT_TOKEN_PATTERN.test(value);
}

export class InvalidSubjectTokenError extends Error {
  override name = 'InvalidSubjectTokenError';
}
