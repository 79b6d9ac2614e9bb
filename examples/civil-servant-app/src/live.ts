import { GatewayError, requestBody } from './client.ts';
import type { TypedDocumentString } from './generated/graphql.ts';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'ended';

export interface LiveOptions<R> {
  token: string;
  onData(data: R): void;
  onState(state: LiveState): void;
  /** The subscription ended for good (e.g. UNAUTHENTICATED: log in again). */
  onError(error: GatewayError): void;
}

const RETRY_MS = [500, 1_000, 2_000, 5_000, 10_000];

/**
 * A GraphQL subscription over Server-Sent Events (POST /graphql, Accept: text/event-stream),
 * read with fetch so that the token goes in the Authorization header. When the connection
 * drops, it reconnects with the id of the last event it got as Last-Event-ID: the gateway
 * sends what was missed in between, so no notification is lost. Returns a stop function.
 */
export function subscribe<R>(document: TypedDocumentString<R, Record<string, never>>, options: LiveOptions<R>): () => void {
  const stop = new AbortController();
  let lastEventId: string | undefined;
  let attempt = 0;

  async function connectOnce(): Promise<'again' | 'done'> {
    const response = await fetch('/graphql', {
      method: 'POST',
      signal: stop.signal,
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${options.token}`,
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      },
      body: requestBody(document, {}),
    });
    if (!response.ok || !response.body) return 'again';
    options.onState('live');
    attempt = 0;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return 'again';
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = parseEvent(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event.event === 'complete') return 'again';
        if (!event.data) continue;
        const result = JSON.parse(event.data) as { data?: R; errors?: { message: string; extensions?: { code?: string } }[] };
        const error = result.errors?.[0];
        if (error) {
          options.onError(new GatewayError(error.message, error.extensions?.code));
          return 'done';
        }
        if (event.id) lastEventId = event.id;
        if (result.data) options.onData(result.data);
      }
    }
  }

  void (async () => {
    options.onState('connecting');
    while (!stop.signal.aborted) {
      try {
        if ((await connectOnce()) === 'done') break;
      } catch {
        if (stop.signal.aborted) break;
      }
      options.onState('reconnecting');
      await new Promise((r) => setTimeout(r, RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]));
    }
    options.onState('ended');
  })();
  return () => stop.abort();
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
