import type { NatsConnection } from '@nats-io/transport-node';
import { percentile, type LoadResult } from './stats.ts';

/** Closed-loop NATS request/reply load: `inFlight` requests outstanding at all times. */
export async function natsLoad(options: {
  name: string;
  nc: NatsConnection;
  subject: string;
  payload: Uint8Array;
  inFlight: number;
  seconds: number;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + options.seconds * 1_000;
  const worker = async () => {
    while (performance.now() < end) {
      const start = performance.now();
      try {
        await options.nc.request(options.subject, options.payload, { timeout: 5_000 });
        latencies.push(performance.now() - start);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.inFlight }, worker));
  latencies.sort((a, b) => a - b);
  return {
    name: options.name,
    requests: latencies.length,
    errors,
    seconds: options.seconds,
    rps: latencies.length / options.seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}
