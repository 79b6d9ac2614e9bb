/**
 * When logins are slowed down and accounts lock. Pure: the caller passes the time and
 * stores the state, so the rules are tested without a clock or a database.
 *
 * - Every failed login is answered after a delay that doubles with each failure in a
 *   row (base, 2×base, 4×base, … up to a ceiling), which slows a guesser down.
 * - The `maxFailures`-th failure in a row locks the account for `lockMs`; while locked,
 *   even the right password is refused, and the answer says when the lock ends.
 * - A success resets everything. Failures older than `lockMs` are forgotten, so
 *   mistyping once a week never adds up to a lock.
 */
export interface ThrottlePolicy {
  maxFailures: number;
  lockMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_DELAYS = { baseDelayMs: 250, maxDelayMs: 4_000 } as const;

/** What is stored per account (columns of the User row). */
export interface LoginAttemptState {
  failedLogins: number;
  lockedUntil: Date | null;
  lastFailedAt: Date | null;
}

export const FRESH_STATE: LoginAttemptState = { failedLogins: 0, lockedUntil: null, lastFailedAt: null };

/** The end of the lock when the account is locked at `now`, else null. */
export function activeLock(state: LoginAttemptState, now: Date): Date | null {
  return state.lockedUntil && state.lockedUntil.getTime() > now.getTime() ? state.lockedUntil : null;
}

/** The delay before answering the `failures`-th failure in a row. */
export function failureDelayMs(failures: number, policy: ThrottlePolicy): number {
  if (failures < 1) return 0;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(failures - 1, 30));
}

export interface FailureOutcome {
  state: LoginAttemptState;
  /** Wait this long before answering. */
  delayMs: number;
  /** Set when this failure locked the account. */
  lockedUntil: Date | null;
}

/** The state after a failed login at `now`. */
export function afterFailure(state: LoginAttemptState, now: Date, policy: ThrottlePolicy): FailureOutcome {
  const lockExpired = state.lockedUntil !== null && state.lockedUntil.getTime() <= now.getTime();
  const stale = state.lastFailedAt === null || now.getTime() - state.lastFailedAt.getTime() > policy.lockMs;
  const failures = lockExpired || stale ? 1 : state.failedLogins + 1;
  const lockedUntil = failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockMs) : null;
  return {
    state: { failedLogins: failures, lockedUntil, lastFailedAt: now },
    delayMs: lockedUntil ? 0 : failureDelayMs(failures, policy),
    lockedUntil,
  };
}

/** The state after a successful login, or after an administrator unlocked the account. */
export function afterSuccess(): LoginAttemptState {
  return { ...FRESH_STATE };
}
