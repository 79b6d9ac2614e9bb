/**
 * Token buckets, one per key (a user, an address), in this process's memory. A bucket
 * holds up to `capacity` tokens and refills continuously at `capacity` per `windowMs`:
 * a client may burst up to the capacity, then goes on at the refill rate. Refilling
 * continuously (rather than resetting at the end of a window) means a client that ran
 * out waits only until its next token, and there is no window edge where twice the
 * limit passes.
 *
 * A full bucket is the same as none, so those are dropped now and then: memory follows
 * the clients active in the last window, not every client ever seen.
 */
export type Take = { ok: true } | { ok: false; retryAfterSeconds: number };

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;
  private lastSweep: number;

  constructor(
    private readonly capacity: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = capacity / windowMs;
    this.lastSweep = now();
  }

  /** Takes `count` tokens from `key`'s bucket, or none and says how long until there are enough. */
  take(key: string, count = 1): Take {
    const at = this.now();
    this.sweep(at);
    const tokens = this.level(key, at);
    if (tokens >= count) {
      this.buckets.set(key, { tokens: tokens - count, at });
      return { ok: true };
    }
    // More than the capacity never passes: "a window" tells the client not to retry soon.
    const waitMs = count > this.capacity ? this.windowMs : (count - tokens) / this.perMs;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** Returns tokens taken for something that turned out not to count (a successful login). */
  giveBack(key: string, count = 1): void {
    const at = this.now();
    const tokens = Math.min(this.capacity, this.level(key, at) + count);
    if (tokens >= this.capacity) this.buckets.delete(key);
    else this.buckets.set(key, { tokens, at });
  }

  /** Keys with a bucket that is not full (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  private level(key: string, at: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.capacity;
    return Math.min(this.capacity, bucket.tokens + (at - bucket.at) * this.perMs);
  }

  private sweep(at: number): void {
    if (at - this.lastSweep < this.windowMs) return;
    this.lastSweep = at;
    for (const key of this.buckets.keys()) {
      if (this.level(key, at) >= this.capacity) this.buckets.delete(key);
    }
  }
}
