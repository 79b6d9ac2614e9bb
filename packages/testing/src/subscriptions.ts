import type { GraphQLResponse } from './graphql.ts';

/** One `next` event of a GraphQL subscription over Server-Sent Events. */
export interface SubscriptionEvent<T> {
  /** The SSE `id:` (the gateway sends the event's stream sequence): what a client reconnects with. */
  id: string | undefined;
  result: GraphQLResponse<T>;
}

export interface OpenSubscription<T> {
  /** Every `next` event received so far, in order. */
  readonly events: SubscriptionEvent<T>[];
  /** The HTTP status of the answer. */
  readonly status: number;
  /** Resolves when the server ended the stream (`complete`, or the connection closed). */
  readonly ended: Promise<void>;
  /** The id of the last event received (undefined before the first). */
  lastEventId(): string | undefined;
  close(): void;
}

/**
 * Opens a subscription on a gateway as a client would: POST /graphql with
 * `Accept: text/event-stream`, then reads the SSE stream in the background.
 * `lastEventId` is sent as the `Last-Event-ID` header of a reconnecting client.
 */
export async function openSubscription<T = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  options: { variables?: Record<string, unknown>; token?: string; lastEventId?: string } = {},
): Promise<OpenSubscription<T>> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    signal: abort.signal,
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
    },
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
  });
  const events: SubscriptionEvent<T>[] = [];
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = parseEvent(block);
          if (fields.event === 'complete') return;
          if (fields.data) events.push({ id: fields.id, result: JSON.parse(fields.data) as GraphQLResponse<T> });
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
  })();
  ended.catch(() => undefined);
  return {
    events,
    status: response.status,
    ended,
    lastEventId: () => events.findLast((e) => e.id !== undefined)?.id,
    close: () => abort.abort(),
  };
}

function parseEvent(block: string): { event?: string; id?: string; data?: string } {
  const fields: { event?: string; id?: string; data?: string } = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (name === 'event') fields.event = value;
    else if (name === 'id') fields.id = value;
    else if (name === 'data') fields.data = fields.data === undefined ? value : `${fields.data}\n${value}`;
  }
  return fields;
}
