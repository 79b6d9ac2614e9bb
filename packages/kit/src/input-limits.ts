import { badUserInput } from './errors.ts';

/**
 * Bounds on what one read may ask for, so that no single request can keep a service
 * busy (issue 16: an 80 KB search of 40,000 words became 80,000 ILIKE conditions and
 * 17 s of CPU). Every service's list arguments go through these, as `first` goes
 * through pageSize.
 */
export const MAX_SEARCH_LENGTH = 100;
export const MAX_SEARCH_WORDS = 8;
/** Keys in one batched lookup (the gateway's merged lookups stay far below this). */
export const MAX_LOOKUP_KEYS = 1000;

/**
 * A free-text search, trimmed: undefined when blank; BAD_USER_INPUT when longer than
 * MAX_SEARCH_LENGTH characters or MAX_SEARCH_WORDS words; at least `minLength` characters.
 */
export function searchText(value: string | null | undefined, field = 'search', minLength = 1): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (text.length > MAX_SEARCH_LENGTH) throw badUserInput(`${field}: at most ${MAX_SEARCH_LENGTH} characters`, { field });
  if (text.split(/\s+/).length > MAX_SEARCH_WORDS) throw badUserInput(`${field}: at most ${MAX_SEARCH_WORDS} words`, { field });
  if (text.length < minLength) throw badUserInput(`${field}: at least ${minLength} characters`, { field });
  return text;
}

/** The keys of a batched lookup, or BAD_USER_INPUT when there are more than MAX_LOOKUP_KEYS. */
export function lookupKeys<T>(keys: readonly T[], field: string): readonly T[] {
  if (keys.length > MAX_LOOKUP_KEYS) throw badUserInput(`${field}: at most ${MAX_LOOKUP_KEYS} at once`, { field });
  return keys;
}
