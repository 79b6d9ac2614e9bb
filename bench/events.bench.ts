/**
 * The suite's events scenario alone (outbox → relay → JetStream → consumer), for work on
 * the relay and the consumer without starting the whole platform:
 *
 *   npm run bench:events -w @simpul/bench            (BENCH_EVENT_COUNTS=1000,10000)
 *
 * Prints one line per count; the suite (suite.bench.ts) runs the same function.
 */
import { outboxToConsumer } from './lib/events-load.ts';

const counts = (process.env.BENCH_EVENT_COUNTS ?? '1000,10000').split(',').map(Number);
for (const count of counts) {
  const r = await outboxToConsumer(count);
  console.log(
    `${count} events: ${r.perSecond.toFixed(0)}/s (written ${r.writtenPerSecond.toFixed(0)}/s), lag p50 ${r.p50LagMs} ms, p99 ${r.p99LagMs} ms, max ${r.maxLagMs} ms, CPU ${r.cpuMsPerEvent.toFixed(3)} ms/event`,
  );
}
