import { isAsyncIterable } from '@graphql-tools/utils';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { LiveEvents } from './live-events.ts';

/** Comment lines that keep proxies from closing a quiet stream (as yoga does). */
const PING_MS = 12_000;
const SSE = 'text/event-stream';

/**
 * Server-Sent Events with ids. yoga's own SSE writer sends no `id:` field, so a browser's
 * EventSource (or any client) would have nothing to reconnect with. This writes the same
 * `next`/`complete` events with `id: <stream sequence>` for subscription results, and
 * the sequence also as `extensions.eventId` for clients that read the data only.
 */
export function useEventIds(live: LiveEvents): Plugin {
  return {
    onSubscribe() {
      return {
        onSubscribeResult({ args }) {
          return {
            onNext({ result, setResult }) {
              const eventId = live.eventIdOf(args.contextValue as object);
              if (eventId) setResult({ ...result, extensions: { ...result.extensions, eventId } });
            },
          };
        },
      };
    },
    onResultProcess({ request, result, setResultProcessor }) {
      if (isAsyncIterable(result) && (request.headers.get('accept') ?? '').includes(SSE)) setResultProcessor(writeEvents, SSE);
    },
  };
}

type ResultProcessor = Parameters<Parameters<NonNullable<Plugin['onResultProcess']>>[0]['setResultProcessor']>[0];

const writeEvents: ResultProcessor = (result, fetchAPI) => {
  const encoder = new fetchAPI.TextEncoder();
  const iterator = (result as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator]();
  let ping: NodeJS.Timeout | undefined;
  const body = new fetchAPI.ReadableStream<Uint8Array>({
    start(controller) {
      // Some browsers wait for the first bytes before they report the stream open.
      controller.enqueue(encoder.encode(':\n\n'));
      ping = setInterval(() => {
        if (controller.desiredSize === null) clearInterval(ping);
        else if (controller.desiredSize > 0) controller.enqueue(encoder.encode(':\n\n'));
      }, PING_MS);
    },
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (value) {
        // `http` is yoga's instruction to itself (status, headers), not for the client.
        const { http: _http, ...extensions } = (value.extensions ?? {}) as Record<string, unknown>;
        const eventId = extensions['eventId'];
        const id = typeof eventId === 'string' ? `id: ${eventId}\n` : '';
        const data = JSON.stringify({ ...value, extensions: Object.keys(extensions).length ? extensions : undefined });
        controller.enqueue(encoder.encode(`${id}event: next\ndata: ${data}\n\n`));
      }
      if (done) {
        controller.enqueue(encoder.encode('event: complete\ndata:\n\n'));
        clearInterval(ping);
        controller.close();
      }
    },
    async cancel() {
      clearInterval(ping);
      await iterator.return?.();
    },
  });
  return new fetchAPI.Response(body, {
    status: 200,
    headers: { 'content-type': SSE, connection: 'keep-alive', 'cache-control': 'no-cache', 'content-encoding': 'none' },
  });
};
