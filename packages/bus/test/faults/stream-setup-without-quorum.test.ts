import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { subjectsFor } from '@simpul/contracts';
import { createLogger } from '@simpul/kit';
import { eventually, startNatsCluster, uniqueNamespace, type TestNatsCluster } from '@simpul/testing';
import { connectBus, type NatsConnection } from '../../src/connection.ts';
import { setUpEventStream } from '../../src/event-stream-setup.ts';
import { ensureEventStream } from '../../src/events.ts';

/**
 * Fault: a service starts while the NATS cluster's JetStream cannot act (two of three
 * nodes down: no meta leader). Expected: setting up the replicated event stream waits
 * and retries instead of failing the start, and completes once the nodes are back.
 * (Seen in the instances-under-load e2e test: five services creating the R3 stream at
 * once on a fresh cluster timed out and identity exited.)
 */
let cluster: TestNatsCluster | undefined;
let nc: NatsConnection | undefined;

beforeAll(async () => {
  cluster = await startNatsCluster(3);
}, 120_000);
afterAll(async () => {
  await nc?.close();
  await cluster?.destroy();
}, 60_000);

describe('setting up the event stream while the cluster has no JetStream quorum', () => {
  it('waits for JetStream instead of failing, and sets up the stream with three replicas once it can', { timeout: 240_000 }, async () => {
    const subjects = subjectsFor(uniqueNamespace());
    await Promise.all([cluster!.node('n2').stop({ hard: true }), cluster!.node('n3').stop({ hard: true })]);
    nc = await connectBus({ url: cluster!.node('n1').url, name: 'starting-service', timeoutMs: 15_000 });

    // Without waiting, the start fails: what a service did before (with the setup's own
    // message, or JetStream's bare timeout when the machine is slow to answer at all).
    await expect(ensureEventStream(nc, subjects, { replicas: 3 })).rejects.toThrow(/Cannot set up the JetStream stream|timeout/);

    const logger = createLogger('stream-setup-test', 'silent');
    const retries = vi.spyOn(logger, 'warn');
    let settled: 'resolved' | Error | undefined;
    const setup = setUpEventStream(nc, subjects, { replicas: 3, logger, patienceMs: 200_000 }).then(
      () => void (settled = 'resolved'),
      (error: Error) => void (settled = error),
    );
    await eventually(() => (retries.mock.calls.length >= 2 ? true : undefined), 'two refused attempts', 120_000);
    expect(settled).toBeUndefined(); // still waiting, not failed

    await Promise.all([cluster!.node('n2').start(), cluster!.node('n3').start()]);
    await setup;
    console.info(`[observed] stream set up after ${retries.mock.calls.length} refused attempts while JetStream had no quorum`);
    expect(settled).toBe('resolved');
    const info = await (await jetstreamManager(nc, { timeout: 15_000 })).streams.info(subjects.eventStream);
    expect(info.config.num_replicas).toBe(3);
  });
});
