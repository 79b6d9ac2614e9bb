import { setTimeout as sleep } from 'node:timers/promises';
import { DeliverPolicy, jetstream, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { EventEnvelope, MAX_TOKEN_LIFETIME_SECONDS, TokensRevoked, type Subjects } from '@simpul/contracts';
import { TokenDenyList, type Logger } from '@simpul/kit';
import { decodeJson } from './codec.ts';
import { provenanceMismatch } from './events.ts';

export interface TokenRevocationFollower {
  /** Every revocation that was on the stream when following began is in the deny list. */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

export interface FollowTokenRevocationsOptions {
  nc: NatsConnection;
  subjects: Subjects;
  denyList: TokenDenyList;
  logger: Logger;
  /** How far back revocations are replayed at start (default: the longest token lifetime). */
  lookbackMs?: number;
  /** Wait before trying again when the event stream is not there yet (default 1 s). */
  retryMs?: number;
}

/** A deny list that keeps revocations as long as a revoked token can live. */
export function createTokenDenyList(): TokenDenyList {
  return new TokenDenyList({ retentionMs: MAX_TOKEN_LIFETIME_SECONDS * 1000 });
}

/**
 * Feeds identity's `identity.token.revoked` events into a token verifier's deny list.
 * Every process that verifies tokens must see every revocation, so this is not a shared
 * durable consumer but an ordered (ephemeral) one per process, which starts at now
 * minus the longest token lifetime: a process that starts late still refuses tokens
 * revoked before it started. The ordered consumer recreates itself after a reconnect,
 * resuming where it was. When the event stream does not exist yet (a gateway started
 * before any service), there is nothing to replay: `ready` resolves and following
 * begins once the stream appears.
 */
export function followTokenRevocations(options: FollowTokenRevocationsOptions): TokenRevocationFollower {
  const { nc, subjects, denyList, logger } = options;
  const lookbackMs = options.lookbackMs ?? MAX_TOKEN_LIFETIME_SECONDS * 1000;
  const retryMs = options.retryMs ?? 1_000;
  const js = jetstream(nc);
  const filter = subjects.event(TokensRevoked.service, TokensRevoked.entity, TokensRevoked.verb);
  let stopped = false;
  const stopping = new AbortController();
  let messages: ConsumerMessages | undefined;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  function apply(msg: JsMsg): void {
    try {
      const envelope = EventEnvelope.parse(decodeJson(msg.data));
      const mismatch = provenanceMismatch(subjects, msg.subject, envelope, TokensRevoked);
      if (mismatch) throw new Error(mismatch);
      const data = TokensRevoked.data.parse(envelope.data);
      denyList.revoke({ subject: data.subject, issuedBeforeMs: Date.parse(data.issuedBefore), jti: data.jti, session: data.session ?? null });
      logger.debug({ subject: data.subject, reason: data.reason }, 'token revocation applied');
    } catch (error) {
      logger.warn({ err: error, seq: msg.seq }, 'ignored a malformed token revocation');
    }
  }

  async function follow(): Promise<void> {
    const consumer = await js.consumers.get(subjects.eventStream, {
      filter_subjects: filter,
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: new Date(Date.now() - lookbackMs).toISOString(),
    });
    if ((await consumer.info(true)).num_pending === 0) markReady();
    messages = await consumer.consume();
    if (stopped) await messages.close();
    for await (const msg of messages) {
      apply(msg);
      if (msg.info.pending === 0) markReady();
    }
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        await follow();
      } catch (error) {
        if (stopped) break;
        // Most likely the event stream does not exist yet: then nothing was revoked.
        markReady();
        logger.debug({ err: error }, 'not following token revocations yet; trying again');
      }
      if (!stopped) await sleep(retryMs, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();

  return {
    ready,
    async stop() {
      stopped = true;
      stopping.abort();
      await messages?.close();
      await loop;
    },
  };
}
