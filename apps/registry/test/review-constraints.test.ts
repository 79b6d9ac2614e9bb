import { describe, expect, it } from 'vitest';
import { effectiveDecisions } from '../src/review/constraints.ts';

describe(effectiveDecisions.name, () => {
  it('a confirmation overrides an earlier rejection of the same pair, and the reverse', () => {
    expect(
      effectiveDecisions([
        { applicationIds: ['a', 'b'], decision: 'REJECTED' },
        { applicationIds: ['a', 'b', 'c'], decision: 'CONFIRMED' },
      ]),
    ).toEqual({
      together: [['a', 'b', 'c']],
      apart: [],
      conflict: null,
    });
    expect(
      effectiveDecisions([
        { applicationIds: ['a', 'b', 'c'], decision: 'CONFIRMED' },
        { applicationIds: ['c', 'a'], decision: 'REJECTED' },
      ]),
    ).toEqual({
      together: [],
      apart: [['a', 'c']],
      conflict: null,
    });
  });

  it('rejecting a set keeps every pair of it apart', () => {
    expect(effectiveDecisions([{ applicationIds: ['c', 'b', 'a'], decision: 'REJECTED' }]).apart).toEqual([
      ['b', 'c'],
      ['a', 'c'],
      ['a', 'b'],
    ]);
  });

  it('reports a rejected pair that confirmations still join, with the chain', () => {
    const result = effectiveDecisions([
      { applicationIds: ['a', 'b'], decision: 'CONFIRMED' },
      { applicationIds: ['b', 'c'], decision: 'CONFIRMED' },
      { applicationIds: ['a', 'c'], decision: 'REJECTED' },
    ]);
    expect(result.conflict).toEqual({ pair: ['a', 'c'], path: ['a', 'b', 'c'] });
  });
});
