import { describe, expect, it } from 'vitest';
import { afterExit, nextStreak, type RestartPolicy } from '../src/restart-policy.ts';

const policy: RestartPolicy = { restartLimit: 4, backoffMs: 1_000, maxBackoffMs: 5_000, stableMs: 60_000 };

describe('restart policy', () => {
  it('doubles the delay with each death in a row, up to the longest delay', () => {
    expect([1, 2, 3, 4].map((streak) => afterExit(policy, streak))).toEqual([
      { action: 'restart', delayMs: 1_000 },
      { action: 'restart', delayMs: 2_000 },
      { action: 'restart', delayMs: 4_000 },
      { action: 'restart', delayMs: 5_000 },
    ]);
  });

  it('gives up on the death after the last allowed restart', () => {
    expect(afterExit(policy, 5)).toEqual({ action: 'give-up' });
    expect(afterExit({ ...policy, restartLimit: 0 }, 1)).toEqual({ action: 'give-up' });
  });

  it('starts a new streak after a run that lasted long enough, and extends it after a short one', () => {
    expect(nextStreak(policy, 3, 60_000)).toBe(1);
    expect(nextStreak(policy, 3, 59_999)).toBe(4);
    expect(nextStreak(policy, 0, 10)).toBe(1);
  });
});
