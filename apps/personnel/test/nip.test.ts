import { describe, expect, it } from 'vitest';
import { parseNip, type NipSegment } from '../src/domain/nip.ts';

const TODAY = '2026-11-29';

describe('parseNip reads a valid NIP', () => {
  it.each([
    ['198503302010011002', '1985-03-30', '2010-01', 'MALE', 2],
    ['197001012000122001', '1970-01-01', '2000-12', 'FEMALE', 1],
    // 29 February in a leap year is a real birth date.
    ['200002292020021001', '2000-02-29', '2020-02', 'MALE', 1],
    // Born on the 1st: the TMT month of the 18th birthday is in time.
    ['199005012008051001', '1990-05-01', '2008-05', 'MALE', 1],
    // Born 29 February: the 18th birthday is 1 March of a common year, so March is the first possible TMT.
    ['200002292018032001', '2000-02-29', '2018-03', 'FEMALE', 1],
    // TMT in the current month is not in the future.
    ['199801012026111999', '1998-01-01', '2026-11', 'MALE', 999],
    ['  198503302010011002 ', '1985-03-30', '2010-01', 'MALE', 2],
  ] as const)('%s', (nip, birthDate, tmt, sex, sequence) => {
    const result = parseNip(nip, TODAY);
    expect(result).toEqual({ ok: true, parts: { nip: nip.trim(), birthDate, tmt, tmtDate: `${tmt}-01`, sex, sequence } });
  });
});

describe('parseNip says which segment is wrong and why', () => {
  it.each<[string, string, NipSegment, RegExp]>([
    ['wrong length (17)', '19850330201001100', 'format', /18 digits; this one has 17/],
    ['wrong length (19)', '1985033020100110021', 'format', /this one has 19/],
    ['empty', '', 'format', /this one has 0/],
    ['a letter', '19850330201001100X', 'format', /"X" at position 18 is not a digit/],
    ['a space inside', '19850330 2010011002', 'format', /position 9/],
    ['a dash', '1985-0330201001102', 'format', /"-" at position 5/],
    ['month 13', '198513302010011002', 'birthDate', /no month 13/],
    ['month 00', '198500102010011002', 'birthDate', /no month 00/],
    ['30 February', '198502302010011002', 'birthDate', /1985-02-30 does not exist/],
    ['29 February in a common year', '199902292020021001', 'birthDate', /1999-02-29 does not exist/],
    ['29 February 1900 (not a leap year)', '190002291920011001', 'birthDate', /1900-02-29 does not exist/],
    ['31 April', '198504312010011002', 'birthDate', /1985-04-31 does not exist/],
    ['day 00', '198504002010011002', 'birthDate', /1985-04-00 does not exist/],
    ['born in the future', '202712012026011001', 'birthDate', /2027-12-01 is in the future/],
    ['TMT month 13', '198503302010131002', 'tmt', /no month 13/],
    ['TMT month 00', '198503302010001002', 'tmt', /no month 00/],
    ['TMT before the 18th birthday (a year early)', '199005012007051001', 'tmt', /2007-05 is before the 18th birthday \(2008-05-01\)/],
    ['TMT in the month of the 18th birthday, born after the 1st', '199005022008051001', 'tmt', /before the 18th birthday \(2008-05-02\)/],
    ['TMT in February, born 29 February (birthday 1 March in a common year)', '200002292018022001', 'tmt', /before the 18th birthday \(2018-03-01\)/],
    ['TMT next month', '199801012026121001', 'tmt', /2026-12 is in the future/],
    ['TMT years ahead', '199801012030011001', 'tmt', /2030-01 is in the future/],
    ['sex digit 0', '198503302010010002', 'sex', /1 \(male\) or 2 \(female\), not 0/],
    ['sex digit 3', '198503302010013002', 'sex', /not 3/],
    ['sequence 000', '198503302010011000', 'sequence', /starts at 001, not 000/],
  ])('%s', (_case, nip, segment, message) => {
    const result = parseNip(nip, TODAY);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.segment).toBe(segment);
    expect(result.message).toMatch(message);
  });
});
