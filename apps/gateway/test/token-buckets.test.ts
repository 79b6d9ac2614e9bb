import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../src/rate-limits/token-buckets.ts';

/** The buckets behind every limit, on a clock the test moves. */
describe('TokenBuckets', () => {
  it('allows a burst of the capacity, then one more per window/capacity, with Retry-After until then', () => {
    let now = 0;
    const buckets = new TokenBuckets(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) expect(buckets.take('a')).toEqual({ ok: true });
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterSeconds: 20 });
    now = 15_000;
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterSeconds: 5 });
    now = 20_000;
    expect(buckets.take('a')).toEqual({ ok: true });
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterSeconds: 20 });
    expect(buckets.take('b')).toEqual({ ok: true });
  });

  it('gives back tokens up to the capacity, and refuses a request for more than the capacity within a window', () => {
    let now = 0;
    const buckets = new TokenBuckets(2, 10_000, () => now);
    expect(buckets.take('a', 2)).toEqual({ ok: true });
    buckets.giveBack('a', 5);
    expect(buckets.take('a', 2)).toEqual({ ok: true });
    expect(buckets.take('a', 3)).toEqual({ ok: false, retryAfterSeconds: 10 });
    now = 10_000;
    expect(buckets.take('a', 3)).toEqual({ ok: false, retryAfterSeconds: 10 });
  });

  it('forgets buckets that have refilled, so memory follows the clients of the last window', () => {
    let now = 0;
    const buckets = new TokenBuckets(5, 1_000, () => now);
    for (let i = 0; i < 1_000; i++) buckets.take(`client-${i}`);
    expect(buckets.size).toBe(1_000);
    now = 1_000;
    buckets.take('late');
    expect(buckets.size).toBe(1);
  });
});
