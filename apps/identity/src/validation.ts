import { AGENCY_CODE_PATTERN, AGENCY_CODE_RULE, isRole, UNIT_CODE_PATTERN, type Role } from '@simpul/contracts';
import { badUserInput } from '@simpul/kit';

/**
 * Checks of client input. Each throws BAD_USER_INPUT naming the field, so a form can
 * show the message next to it.
 */

export function agencyCode(value: string, field = 'agencyCode'): string {
  if (!AGENCY_CODE_PATTERN.test(value)) {
    throw badUserInput(`${field}: "${value}" is not a valid agency code (${AGENCY_CODE_RULE})`, { field });
  }
  return value;
}

export function unitCode(value: string, field = 'code'): string {
  if (!UNIT_CODE_PATTERN.test(value)) {
    throw badUserInput(`${field}: "${value}" is not a valid unit code (1-24 characters of A-Z a-z 0-9 . -)`, { field });
  }
  return value;
}

export function displayName(value: string, field = 'name'): string {
  const trimmed = value.trim();
  if (trimmed.length < 1 || trimmed.length > 200) throw badUserInput(`${field}: must be 1-200 characters`, { field });
  return trimmed;
}

export const MAX_USERNAME_LENGTH = 64;
const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;

/** User names are case-insensitive: stored and looked up in lower case. */
export function normalizeUsername(value: string): string {
  return value.trim().toLowerCase();
}

export function username(value: string, field = 'username'): string {
  const normalized = normalizeUsername(value);
  if (!USERNAME.test(normalized)) {
    throw badUserInput(`${field}: 3-64 characters of a-z 0-9 . _ - starting with a letter or digit (a NIP is fine)`, { field });
  }
  return normalized;
}

/**
 * A user name as a caller gives it to a login or a lookup, normalised. Only its length
 * is checked, so that it is never stored or echoed at any size (the audit log keeps it).
 */
export function givenUsername(value: string, field = 'username'): string {
  const normalized = normalizeUsername(value);
  if (normalized.length < 1 || normalized.length > MAX_USERNAME_LENGTH) {
    throw badUserInput(`${field}: must be 1-${MAX_USERNAME_LENGTH} characters`, { field });
  }
  return normalized;
}

/** An API client id as a caller gives it (`sc_` and 24 hex digits are issued; only the length is checked). */
export function givenClientId(value: string, field = 'clientId'): string {
  if (value.length < 1 || value.length > MAX_USERNAME_LENGTH) throw badUserInput(`${field}: must be 1-${MAX_USERNAME_LENGTH} characters`, { field });
  return value;
}

/** A password or secret as a caller gives it to be checked: bounded, so nobody makes us hash a megabyte. */
export function givenSecret(value: string, field = 'password'): string {
  if (value.length > MAX_PASSWORD_LENGTH) throw badUserInput(`${field}: must be at most ${MAX_PASSWORD_LENGTH} characters`, { field });
  return value;
}

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export function newPassword(value: string, field = 'password'): string {
  if (value.length < MIN_PASSWORD_LENGTH) {
    throw badUserInput(`${field}: must be at least ${MIN_PASSWORD_LENGTH} characters`, { field });
  }
  if (value.length > MAX_PASSWORD_LENGTH) throw badUserInput(`${field}: must be at most ${MAX_PASSWORD_LENGTH} characters`, { field });
  return value;
}

/** Roles a user may hold: every role except API_CLIENT, which only API clients carry. */
export function userRoles(values: readonly string[], field = 'roles'): Role[] {
  const roles = new Set<Role>();
  for (const value of values) {
    if (!isRole(value)) throw badUserInput(`${field}: unknown role "${value}"`, { field });
    if (value === 'API_CLIENT') throw badUserInput(`${field}: API_CLIENT is only for API clients`, { field });
    roles.add(value);
  }
  return [...roles];
}
