import { describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { lookupKeys, MAX_LOOKUP_KEYS, searchText } from '../src/input-limits.ts';

function refusal(fn: () => unknown): { code: unknown; message: string } | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return { code: error.extensions.code, message: error.message };
  }
}

describe(searchText.name, () => {
  it('trims, and reads a blank search as none', () => {
    expect(searchText('  sistem surat  ')).toBe('sistem surat');
    expect(searchText('   ')).toBeUndefined();
    expect(searchText(null)).toBeUndefined();
  });

  it('refuses more than 100 characters or 8 words, naming the field', () => {
    expect(refusal(() => searchText('x'.repeat(101), 'filter.search'))).toEqual({ code: 'BAD_USER_INPUT', message: 'filter.search: at most 100 characters' });
    expect(refusal(() => searchText('a b c d e f g h i'))).toEqual({ code: 'BAD_USER_INPUT', message: 'search: at most 8 words' });
    expect(searchText('a b c d e f g h')).toBe('a b c d e f g h');
    // the repro: 40,000 words in 80 KB
    expect(refusal(() => searchText('ab '.repeat(40_000)))?.code).toBe('BAD_USER_INPUT');
  });

  it('asks for a minimum length where a service needs one', () => {
    expect(refusal(() => searchText('a', 'filter.search', 2))).toEqual({ code: 'BAD_USER_INPUT', message: 'filter.search: at least 2 characters' });
  });
});

describe(lookupKeys.name, () => {
  it(`takes up to ${MAX_LOOKUP_KEYS} keys`, () => {
    expect(lookupKeys(Array(MAX_LOOKUP_KEYS).fill('x'), 'codes')).toHaveLength(MAX_LOOKUP_KEYS);
    expect(refusal(() => lookupKeys(Array(MAX_LOOKUP_KEYS + 1).fill('x'), 'codes'))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'codes: at most 1000 at once',
    });
  });
});
