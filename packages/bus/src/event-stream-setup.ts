import type { Subjects } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';
import type { NatsConnection } from './connection.ts';
import { ensureEventStream } from './events.ts';

/** What the JetStream API answers while it cannot act yet: a timeout, no meta leader, too few peers for the replicas. */
const NOT_YET = /timeout|temporarily unavailable|no suitable peers|insufficient resources|no leader|not current/i;

/**
 * Sets up the event stream at start-up, waiting for JetStream when it cannot act yet.
 * On a cluster the JetStream API is unavailable while the meta leader is elected (a node
 * restarting, a cluster coming up) and slow on a loaded machine: five services creating
 * the replicated stream at once on a fresh three-node cluster timed out, and the service
 * exited. Retried with backoff for up to `patienceMs`; any other error fails at once.
 */
export async function setUpEventStream(
  nc: NatsConnection,
  subjects: Subjects,
  options: { replicas: number; logger: Logger; patienceMs?: number },
): Promise<void> {
  const deadline = Date.now() + (options.patienceMs ?? 120_000);
  for (let attempt = 1, delay = 250; ; attempt++, delay = Math.min(delay * 2, 5_000)) {
    try {
      await ensureEventStream(nc, subjects, { replicas: options.replicas });
      if (attempt > 1) options.logger.info({ attempt }, 'event stream set up');
      return;
    } catch (error) {
      const reason = `${(error as Error).message} ${((error as Error).cause as Error | undefined)?.message ?? ''}`;
      if (!NOT_YET.test(reason) || Date.now() + delay > deadline) throw error;
      options.logger.warn({ attempt, err: error }, 'JetStream cannot set up the event stream yet; trying again');
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
