import { GraphQLError } from 'graphql';
import type { NatsConnection } from '@simpul/bus';
import { ErrorCode, type ServiceName, type Subjects } from '@simpul/contracts';
import type { Logger, Principal, TokenVerifier } from '@simpul/kit';
import type { GatewayContext } from '../auth.ts';
import { EventFeed, type FeedEvent } from './event-feed.ts';

/** Decides what one event means for one subscriber: the payload to send, or undefined to send nothing. */
export type EventHandler<T> = (event: FeedEvent, principal: Principal) => Promise<T | undefined>;

export interface LiveEvents {
  /**
   * The subscriber's events of one service, from its Last-Event-ID on (or from now), each
   * passed through `handle` with the subscriber's token verified again, so a token that
   * expired or was revoked ends the subscription (UNAUTHENTICATED) at the next event.
   */
  follow<T>(context: GatewayContext & { request: Request }, service: ServiceName, handle: EventHandler<T>): AsyncIterableIterator<T>;
  /** The stream sequence of the event a subscription's current result carries (the SSE id). */
  eventIdOf(context: object): string | undefined;
  close(): Promise<void>;
}

export const LAST_EVENT_ID_HEADER = 'last-event-id';

export function createLiveEvents(options: { nc: NatsConnection; subjects: Subjects; verifier: TokenVerifier; logger: Logger }): LiveEvents {
  const { nc, subjects, verifier } = options;
  const logger = options.logger.child({ component: 'subscriptions' });
  const feeds = new Map<ServiceName, EventFeed>();
  const eventIds = new WeakMap<object, string>();

  function feedOf(service: ServiceName): EventFeed {
    let feed = feeds.get(service);
    if (!feed) {
      feed = new EventFeed(nc, subjects.eventStream, `${subjects.namespace}.evt.${service}.>`, logger);
      feeds.set(service, feed);
      feed.start();
    }
    return feed;
  }

  return {
    follow<T>(context: GatewayContext & { request: Request }, service: ServiceName, handle: EventHandler<T>): AsyncIterableIterator<T> {
      const token = context.token;
      if (!token || !context.principal)
        throw new GraphQLError('Log in first: subscriptions need a bearer token', { extensions: { code: ErrorCode.Unauthenticated } });
      const afterSeq = lastEventId(context.request);
      const stop = new AbortController();
      const disconnected = () => stop.abort();
      context.request.signal?.addEventListener('abort', disconnected);
      const source = feedOf(service).events(afterSeq, stop.signal);
      async function* deliver(): AsyncGenerator<T> {
        try {
          for await (const event of source) {
            let principal: Principal;
            try {
              principal = await verifier.verify(token!);
            } catch (error) {
              throw new GraphQLError(`The subscription ended: ${(error as Error).message}`, { extensions: { code: ErrorCode.Unauthenticated } });
            }
            const payload = await handle(event, principal);
            if (payload === undefined) continue;
            eventIds.set(context, String(event.seq));
            yield payload;
          }
        } finally {
          context.request.signal?.removeEventListener('abort', disconnected);
        }
      }
      const iterator = deliver();
      // A client that goes away ends the subscription at once, not at the next event:
      // return() aborts the wait for events before closing the generator.
      return {
        next: () => iterator.next(),
        return: async (value?: unknown) => {
          stop.abort();
          return iterator.return(value as never);
        },
        throw: (error?: unknown) => {
          stop.abort();
          return iterator.throw(error);
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
    },
    eventIdOf: (context) => eventIds.get(context),
    async close() {
      await Promise.all([...feeds.values()].map((f) => f.stop()));
    },
  };
}

/** The sequence a reconnecting client last received; BAD_USER_INPUT for anything but a stream sequence. */
function lastEventId(request: Request): number | undefined {
  const header = request.headers.get(LAST_EVENT_ID_HEADER);
  if (header === null || header.trim() === '') return undefined;
  if (!/^\d{1,15}$/.test(header.trim())) {
    throw new GraphQLError(`Last-Event-ID must be the id of an event this gateway sent (a number), not "${header.slice(0, 40)}"`, {
      extensions: { code: ErrorCode.BadUserInput },
    });
  }
  return Number(header.trim());
}
