import { Empty, type NatsConnection } from '@nats-io/nats-core';
import { isNoResponders } from './connection.ts';

/** A request waiting for its answer, as the detector sees it. */
export interface WaitingRequest {
  /** The instance (its Subjects.instance subject) that acknowledged the request. */
  acknowledgedBy(instance: string): void;
  /** The answer came, or the wait is over: stop watching. */
  stop(): void;
}

interface Entry {
  /** The server-assigned id of our NATS connection when the request was sent. */
  connection: number | undefined;
  sentAt: number;
  instance: string | undefined;
  onLost: (reason: string) => void;
}

/**
 * Tells requests in flight when their answer can no longer come, so that only those are
 * sent again and a service that is merely busy is never asked twice. Every `checkEveryMs`
 * while requests wait, it checks:
 *  - our own NATS connection: re-established since the request was sent, the answer may
 *    have been lost with the old one;
 *  - the instance that acknowledged the request: "no responders" on its instance subject
 *    means it has left NATS (died, or stopped) and will never answer;
 *  - for a request no instance acknowledged yet (an instance may die between taking a
 *    message and acknowledging it): the instances that acknowledged something within
 *    the last `recentMs`; if one of them is found gone after the request was sent, it
 *    may have been the one.
 * An instance that is alive but too busy to answer the check is taken as alive.
 */
export class LostAnswerDetector {
  private readonly waiting = new Set<Entry>();
  /** Instances that acknowledged requests, with when they last did. */
  private readonly instances = new Map<string, number>();
  /** Instances found gone, with when: a request sent before then may have been lost with one. */
  private departures: { instance: string; at: number }[] = [];
  private running = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly checkEveryMs: number,
    private readonly recentMs: number,
  ) {}

  watch(onLost: (reason: string) => void): WaitingRequest {
    const entry: Entry = { connection: this.nc.info?.client_id, sentAt: Date.now(), instance: undefined, onLost };
    this.waiting.add(entry);
    this.run();
    return {
      acknowledgedBy: (instance) => {
        entry.instance = instance;
        this.instances.set(instance, Date.now());
      },
      stop: () => this.waiting.delete(entry),
    };
  }

  private run(): void {
    if (this.running) return;
    this.running = true;
    void (async () => {
      try {
        while (this.waiting.size > 0) {
          await new Promise((resolve) => setTimeout(resolve, this.checkEveryMs));
          await this.check();
        }
        this.forgetOld(Date.now());
      } finally {
        this.running = false;
      }
    })();
  }

  private async check(): Promise<void> {
    const now = Date.now();
    const connection = this.nc.info?.client_id;
    const acknowledged = new Map<string, Entry[]>();
    const unacknowledged: Entry[] = [];
    for (const entry of this.waiting) {
      if (entry.connection !== connection) this.lost(entry, 'the NATS connection was re-established while it waited');
      else if (entry.instance) acknowledged.set(entry.instance, [...(acknowledged.get(entry.instance) ?? []), entry]);
      else if (now - entry.sentAt >= this.checkEveryMs) unacknowledged.push(entry);
    }
    const candidates = new Set(acknowledged.keys());
    if (unacknowledged.length > 0) for (const [instance, at] of this.instances) if (now - at <= this.recentMs) candidates.add(instance);
    const gone = await Promise.all([...candidates].map(async (instance) => ((await this.hasLeft(instance)) ? instance : null)));
    const found = Date.now();
    for (const instance of gone) {
      if (!instance) continue;
      this.instances.delete(instance);
      this.departures.push({ instance, at: found });
      for (const entry of acknowledged.get(instance) ?? []) this.lost(entry, 'the service instance that took it left NATS');
    }
    // No instance said it took these; one that left after they were sent may have had them.
    for (const entry of unacknowledged) {
      if (this.departures.some((d) => d.at >= entry.sentAt)) this.lost(entry, 'an instance of the service left NATS before any acknowledged it');
    }
    this.forgetOld(now);
  }

  /** Instances come and go (every restart is a new one): keep only what a waiting request could need. */
  private forgetOld(now: number): void {
    for (const [instance, at] of this.instances) if (now - at > this.recentMs) this.instances.delete(instance);
    this.departures = this.departures.filter((d) => now - d.at <= this.recentMs);
  }

  /** Only "no responders" counts: a timeout means alive but busy, any other failure proves nothing. */
  private async hasLeft(instance: string): Promise<boolean> {
    try {
      await this.nc.request(instance, Empty, { timeout: this.checkEveryMs });
      return false;
    } catch (error) {
      return isNoResponders(error);
    }
  }

  private lost(entry: Entry, reason: string): void {
    if (this.waiting.delete(entry)) entry.onLost(reason);
  }
}
