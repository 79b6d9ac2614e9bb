/**
 * When a supervised process dies: restart it after a delay that doubles with each death
 * in a row, and give up on it once it has died too often in a row. A run that lasted
 * `stableMs` or longer ends the streak, so a process that crashes once a day is always
 * restarted promptly, while one that cannot start at all (bad settings, a port taken)
 * is reported instead of being retried forever.
 */
export interface RestartPolicy {
  /** Restarts allowed in a row; the death after the last of them gives up. */
  restartLimit: number;
  /** Delay before the first restart of a streak; it doubles for each next one. */
  backoffMs: number;
  /** Longest delay between two restarts. */
  maxBackoffMs: number;
  /** A run at least this long counts as healthy: the next death starts a new streak. */
  stableMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  restartLimit: 5,
  backoffMs: 1_000,
  maxBackoffMs: 30_000,
  stableMs: 60_000,
};

export type AfterExit = { action: 'restart'; delayMs: number } | { action: 'give-up' };

/** The streak after a death: 1 when the run that ended was stable, one more otherwise. */
export function nextStreak(policy: RestartPolicy, previousStreak: number, runMs: number): number {
  return runMs >= policy.stableMs ? 1 : previousStreak + 1;
}

/** What to do after the `streak`-th death in a row (1 for the first). */
export function afterExit(policy: RestartPolicy, streak: number): AfterExit {
  if (streak > policy.restartLimit) return { action: 'give-up' };
  return { action: 'restart', delayMs: Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (streak - 1)) };
}
