import { describe, expect, it } from 'vitest';
import {
  activeLock,
  afterFailure,
  afterSuccess,
  failureDelayMs,
  FRESH_STATE,
  type LoginAttemptState,
  type ThrottlePolicy,
} from '../src/auth/login-throttle.ts';

const policy: ThrottlePolicy = { maxFailures: 5, lockMs: 15 * 60_000, baseDelayMs: 250, maxDelayMs: 4_000 };

/** A clock the test moves by hand. */
function clock(start = Date.parse('2026-11-29T08:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

function fail(times: number, state: LoginAttemptState, at: () => Date) {
  const outcomes = [];
  for (let i = 0; i < times; i++) {
    const outcome = afterFailure(state, at(), policy);
    outcomes.push(outcome);
    state = outcome.state;
  }
  return { state, outcomes };
}

describe('login throttle', () => {
  it('delays each failure twice as long as the one before, up to a ceiling', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => failureDelayMs(n, policy))).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000]);
    expect(failureDelayMs(0, policy)).toBe(0);
  });

  it('locks on the fifth failure in a row, for fifteen minutes', () => {
    const time = clock();
    const { state, outcomes } = fail(5, FRESH_STATE, time.now);
    expect(outcomes.map((o) => o.lockedUntil)).toEqual([null, null, null, null, new Date(time.now().getTime() + policy.lockMs)]);
    expect(outcomes.map((o) => o.delayMs)).toEqual([250, 500, 1000, 2000, 0]);
    expect(state.failedLogins).toBe(5);
    expect(activeLock(state, time.now())).toEqual(new Date(time.now().getTime() + policy.lockMs));
  });

  it('keeps the lock until it ends, then starts counting afresh', () => {
    const time = clock();
    let { state } = fail(5, FRESH_STATE, time.now);
    time.advance(policy.lockMs - 1);
    expect(activeLock(state, time.now())).not.toBeNull();
    time.advance(1);
    expect(activeLock(state, time.now())).toBeNull();
    const next = afterFailure(state, time.now(), policy);
    expect(next.state.failedLogins).toBe(1);
    expect(next.lockedUntil).toBeNull();
    state = next.state;
    expect(state.lockedUntil).toBeNull();
  });

  it('forgets failures older than the lock period', () => {
    const time = clock();
    const { state } = fail(4, FRESH_STATE, time.now);
    time.advance(policy.lockMs + 1);
    const outcome = afterFailure(state, time.now(), policy);
    expect(outcome.state.failedLogins).toBe(1);
    expect(outcome.lockedUntil).toBeNull();
  });

  it('counts failures spread out within the period', () => {
    const time = clock();
    let state = FRESH_STATE;
    let outcome;
    for (let i = 0; i < 5; i++) {
      outcome = afterFailure(state, time.now(), policy);
      state = outcome.state;
      time.advance(2 * 60_000);
    }
    expect(outcome?.lockedUntil).not.toBeNull();
  });

  it('a success resets everything', () => {
    const time = clock();
    fail(4, FRESH_STATE, time.now);
    expect(afterSuccess()).toEqual({ failedLogins: 0, lockedUntil: null, lastFailedAt: null });
    const outcome = afterFailure(afterSuccess(), time.now(), policy);
    expect(outcome.state.failedLogins).toBe(1);
  });

  it('honours a different maximum', () => {
    const time = clock();
    const strict = { ...policy, maxFailures: 2 };
    const first = afterFailure(FRESH_STATE, time.now(), strict);
    const second = afterFailure(first.state, time.now(), strict);
    expect([first.lockedUntil, second.lockedUntil === null]).toEqual([null, false]);
  });
});
