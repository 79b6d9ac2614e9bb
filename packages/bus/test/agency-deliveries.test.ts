import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { nkeyAuthenticator, type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { agencyEventSubjects, subjectsFor } from '@simpul/contracts';
import { startNatsServer, type TestNatsServer } from '@simpul/testing';
import { agencyPermissions, createAgencyNkey, renderNatsAuthorization } from '../src/index.ts';

/**
 * A granted client pulls its agency events from its own consumer on the deliveries
 * stream, with the NKey credentials identity issued, against a nats-server of the
 * test's own running the authorization renderNatsAuthorization writes.
 */
let dir: string;
let server: TestNatsServer;
let platform: NatsConnection;
const connections: NatsConnection[] = [];
const namespace = `t${randomBytes(5).toString('hex')}`;
const subjects = subjectsFor(namespace);
const names = agencyEventSubjects(subjects);
const surabaya = { clientId: `sc_${randomBytes(12).toString('hex')}`, agencyCode: 'KOTA-SURABAYA', ...createAgencyNkey() };
const kominfo = { clientId: `sc_${randomBytes(12).toString('hex')}`, agencyCode: 'KOMINFO', ...createAgencyNkey() };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'simpul-deliveries-'));
  const password = `p${randomBytes(12).toString('hex')}`;
  await writeFile(join(dir, 'authorization.conf'), renderNatsAuthorization({ subjects, users: [surabaya, kominfo] }));
  await writeFile(join(dir, 'server.conf'), `jetstream { store_dir: ${JSON.stringify(join(dir, 'store'))} }\ninclude ./authorization.conf\n`);
  server = await startNatsServer({ jetstream: false, configFile: join(dir, 'server.conf'), env: { SIMPUL_NATS_PASSWORD: password } });
  platform = await connect({ servers: `127.0.0.1:${server.port}`, user: 'simpul', pass: password });
  // What the registry keeps: the deliveries stream and one consumer per granted client.
  const jsm = await jetstreamManager(platform);
  await jsm.streams.add({ name: names.deliveryStream, subjects: [names.allDeliveries] });
  for (const client of [surabaya, kominfo]) {
    await jsm.consumers.add(names.deliveryStream, {
      durable_name: names.deliveryConsumer(client.clientId),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: names.deliveriesOf(client.clientId),
    });
    await jetstream(platform).publish(
      names.delivery(client.clientId, 'KAB-BANYUWANGI', 1, 'pegawai.mutasi'),
      JSON.stringify({ id: `for-${client.agencyCode}` }),
    );
  }
}, 60_000);
afterAll(async () => {
  await Promise.allSettled([...connections, platform].map((c) => c?.close()));
  await server?.destroy();
  await rm(dir, { recursive: true, force: true });
});

async function connectAs(client: typeof surabaya): Promise<NatsConnection> {
  const nc = await connect({
    servers: `127.0.0.1:${server.port}`,
    authenticator: nkeyAuthenticator(new TextEncoder().encode(client.seed)),
    inboxPrefix: subjects.externalInboxPrefix(client.agencyCode),
    maxReconnectAttempts: 0,
  });
  connections.push(nc);
  return nc;
}

describe('a granted client on the deliveries stream', () => {
  it('pulls and acknowledges from its own consumer, and from no other client’s', async () => {
    expect(agencyPermissions(subjects, 'KOTA-SURABAYA').publish).toEqual([`${namespace}.ext.KOTA-SURABAYA.>`]);
    const nc = await connectAs(surabaya);
    const js = jetstream(nc);
    const own = await js.consumers.get(names.deliveryStream, names.deliveryConsumer(surabaya.clientId));
    const message = await own.next({ expires: 5_000 });
    expect(message?.json<{ id: string }>()).toEqual({ id: 'for-KOTA-SURABAYA' });
    await message!.ackAck();
    const jsm = await jetstreamManager(platform);
    expect((await jsm.consumers.info(names.deliveryStream, names.deliveryConsumer(surabaya.clientId))).num_ack_pending).toBe(0);

    // Another client's consumer: the pull request itself is refused by the server.
    await expect(
      nc.request(
        `$JS.API.CONSUMER.MSG.NEXT.${names.deliveryStream}.${names.deliveryConsumer(kominfo.clientId)}`,
        JSON.stringify({ batch: 1, expires: 1_000_000_000 }),
        { timeout: 3_000 },
      ),
    ).rejects.toThrow(/Permissions Violation for Publish/i);
    // And it may not read the stream directly or manage consumers.
    await expect(nc.request(`$JS.API.STREAM.MSG.GET.${names.deliveryStream}`, JSON.stringify({ seq: 2 }), { timeout: 3_000 })).rejects.toThrow(
      /Permissions Violation/i,
    );
    await expect(
      nc.request(`$JS.API.CONSUMER.DELETE.${names.deliveryStream}.${names.deliveryConsumer(kominfo.clientId)}`, '', { timeout: 3_000 }),
    ).rejects.toThrow(/Permissions Violation/i);
    expect((await jsm.consumers.info(names.deliveryStream, names.deliveryConsumer(kominfo.clientId))).num_pending).toBe(1);
  });
});
