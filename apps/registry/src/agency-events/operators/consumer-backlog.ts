import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@simpul/bus';

/**
 * Events a durable consumer holds but its subscriber has not acknowledged yet: those
 * waiting (num_pending) and those handed out, unacknowledged (num_ack_pending). Null
 * when the consumer does not exist (no grant yet, or no webhook).
 */
export class ConsumerBacklog {
  private jsm: JetStreamManager | undefined;

  constructor(private readonly nc: NatsConnection) {}

  async of(stream: string, durable: string): Promise<number | null> {
    this.jsm ??= await jetstreamManager(this.nc);
    try {
      const info = await this.jsm.consumers.info(stream, durable);
      return info.num_pending + info.num_ack_pending;
    } catch {
      return null;
    }
  }
}
