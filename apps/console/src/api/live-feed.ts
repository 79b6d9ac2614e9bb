import { useEffect, useRef, useState } from 'react';
import type { LiveDeadLetter, LiveExchange, LiveSnapshot } from './telemetry-types.ts';

/**
 * The gateway's live feed (GET /telemetry/live, text/event-stream), read with fetch
 * rather than EventSource: fetch can send the token in the Authorization header, where
 * EventSource would put it in the URL (and so in every access log on the way).
 */
export type LiveMessage =
  { event: 'snapshot'; data: LiveSnapshot } | { event: 'exchange'; data: LiveExchange } | { event: 'dead-letter'; data: LiveDeadLetter };

export const LIVE_PATH = '/telemetry/live';

/** Splits a text/event-stream into messages; feed it chunks, it keeps the unfinished tail. */
export class EventStreamParser {
  private buffer = '';

  push(chunk: string): { event: string; data: string }[] {
    this.buffer += chunk.replace(/\r\n?/g, '\n');
    const messages: { event: string; data: string }[] = [];
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':') || line === '') continue; // a comment (": ping")
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length) messages.push({ event, data: data.join('\n') });
    }
    return messages;
  }
}

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'refused';

/**
 * Follows the live feed while the component is mounted, reconnecting with backoff
 * (1 s doubling to 15 s). A 401 or 403 is final: the status says 'refused'.
 */
const windowFetch: typeof fetch = (...args) => fetch(...args);

export function useLiveFeed(token: string, onMessage: (message: LiveMessage) => void, fetchImpl: typeof fetch = windowFetch): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handler = useRef(onMessage);
  handler.current = onMessage;
  useEffect(() => {
    const abort = new AbortController();
    let delay = 1_000;
    (async () => {
      while (!abort.signal.aborted) {
        try {
          const response = await fetchImpl(LIVE_PATH, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: abort.signal });
          if (response.status === 401 || response.status === 403) {
            setStatus('refused');
            return;
          }
          if (!response.ok || !response.body) throw new Error(`live feed answered ${response.status}`);
          setStatus('live');
          delay = 1_000;
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          const parser = new EventStreamParser();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            for (const { event, data } of parser.push(value)) {
              try {
                handler.current({ event, data: JSON.parse(data) } as LiveMessage);
              } catch {
                // A message we cannot read is skipped; the next snapshot brings the state again.
              }
            }
          }
        } catch {
          if (abort.signal.aborted) return;
        }
        setStatus('reconnecting');
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 15_000);
      }
    })();
    return () => abort.abort();
  }, [token, fetchImpl]);
  return status;
}
