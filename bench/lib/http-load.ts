import autocannon from 'autocannon';
import type { LoadResult } from './stats.ts';

export interface HttpLoadOptions {
  name: string;
  url: string;
  /** The request body, or a function giving each request its own (a mutation that must not repeat). */
  body: string | (() => string);
  headers: Record<string, string>;
  connections: number;
  seconds: number;
}

/** Closed-loop HTTP load with autocannon: `connections` requests in flight at all times. */
export async function httpLoad(options: HttpLoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(typeof options.body === 'string'
      ? { body: options.body }
      : { requests: [{ method: 'POST', setupRequest: (req: autocannon.Request) => ({ ...req, body: (options.body as () => string)() }) }] }),
    connections: options.connections,
    duration: options.seconds,
  });
  return {
    name: options.name,
    requests: result.requests.total,
    errors: result.errors + result.non2xx,
    seconds: options.seconds,
    rps: result.requests.total / options.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}
