import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJson, encodeJson } from '@simpul/bus';
import { agencyEventSubjects, type AgencyEvent, type AgencyEventVerdict } from '@simpul/contracts';
import { jetstreamManager } from '@nats-io/jetstream';
import { FANOUT_CONSUMER } from '../src/agency-events/subscriber-deliveries.ts';
import { verifyWebhook, signWebhook } from '../src/agency-events/webhooks/webhook-signature.ts';
import { BANYUWANGI_ADMIN, errorCodes, eventually, startTestRegistry, type TestRegistry, type TestUser } from './support/registry.ts';

/** A local receiver that checks each POST's signature the way an agency's system would. */
interface Received {
  body: string;
  signature: string;
  timestamp: string;
  eventId: string;
}

let registry: TestRegistry;
let server: Server;
let url: string;
const received: Received[] = [];
let answer = 200;

const subscriber: TestUser = { username: 'sc_eeeeeeeeeeeeeeeeeeeeeeee', agencyCode: 'KOTA-SURABAYA', roles: ['API_CLIENT'], kind: 'client' };
const otherClient: TestUser = { username: 'sc_ffffffffffffffffffffffff', agencyCode: 'KOMINFO', roles: ['API_CLIENT'], kind: 'client' };
const publisher: TestUser = { username: 'sc_111111111111111111111111', agencyCode: 'KAB-BANYUWANGI', roles: ['API_CLIENT'], kind: 'client' };
const OPERATOR: TestUser = { username: 'operator', agencyCode: 'KEMENPANRB', roles: ['OPERATOR'] };

beforeAll(async () => {
  registry = await startTestRegistry({ EVENT_WEBHOOK_MAX_ATTEMPTS: '3', EVENT_WEBHOOK_RETRY_MS: '100' });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: String(req.headers['simpul-signature']),
        timestamp: String(req.headers['simpul-timestamp']),
        eventId: String(req.headers['simpul-event-id']),
      });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/simpul-events`;
  const declared = await registry.gql(
    'mutation ($s: String!) { declareEventType(input: { agencyCode: "KAB-BANYUWANGI", name: "surat.terkirim", version: 1, description: "Sebuah surat dinas dikirim ke instansi lain.", schema: $s }) { id } }',
    { s: JSON.stringify({ type: 'object', required: ['nomor'], properties: { nomor: { type: 'string' } } }) },
    BANYUWANGI_ADMIN,
  );
  expect(declared.errors).toBeUndefined();
  const granted = await registry.gql(
    `mutation { grantEventAccess(agencyCode: "KAB-BANYUWANGI", eventType: "surat.terkirim", clientId: "${subscriber.username}") { id } }`,
    {},
    BANYUWANGI_ADMIN,
  );
  expect(granted.errors).toBeUndefined();
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await registry?.close();
});

async function publish(id: string): Promise<AgencyEventVerdict> {
  const names = agencyEventSubjects(registry.service.subjects);
  const reply = await registry.client.request(
    names.ingest,
    encodeJson({ token: await registry.tokenFor(publisher), eventType: 'surat.terkirim', body: JSON.stringify({ id, data: { nomor: id } }) }),
    { timeout: 20_000 },
  );
  return decodeJson(reply.data) as AgencyEventVerdict;
}

const of = (id: string) => received.filter((r) => r.eventId === id);
const now = () => Math.floor(Date.now() / 1000);
let secret = '';

describe('webhook delivery', () => {
  it('is set by the client itself, to an HTTPS (or local) address', async () => {
    expect(
      errorCodes(await registry.gql(`mutation { setEventWebhook(clientId: "${subscriber.username}", url: "${url}") { secret } }`, {}, otherClient)),
    ).toEqual(['FORBIDDEN']);
    expect(
      errorCodes(
        await registry.gql(`mutation { setEventWebhook(clientId: "${subscriber.username}", url: "http://example.org/hook") { secret } }`, {}, subscriber),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    const set = await registry.gql(`mutation { setEventWebhook(clientId: "${subscriber.username}", url: "${url}") { url secret } }`, {}, subscriber);
    expect(set.errors).toBeUndefined();
    secret = set.data.setEventWebhook.secret;
    expect(secret).toMatch(/^whsec_/);
  });

  it('POSTs each granted event signed: the signature verifies, a forged or replayed one does not', async () => {
    expect(await publish('surat-1')).toMatchObject({ accepted: true });
    const [post] = await eventually(() => (of('surat-1').length ? of('surat-1') : undefined), 'the webhook POST');
    expect(JSON.parse(post!.body) as AgencyEvent).toMatchObject({
      id: 'surat-1',
      agencyCode: 'KAB-BANYUWANGI',
      type: 'surat.terkirim',
      data: { nomor: 'surat-1' },
    });
    expect(verifyWebhook(secret, post!, post!.body, now())).toEqual({ ok: true });
    // What a receiver refuses: an altered body, another secret's signature, an old request sent again.
    expect(verifyWebhook(secret, post!, post!.body.replace('surat-1', 'surat-9'), now())).toEqual({ ok: false, reason: 'signature does not match' });
    expect(verifyWebhook(secret, { ...post!, signature: signWebhook('whsec_forged', Number(post!.timestamp), post!.body) }, post!.body, now())).toMatchObject({
      ok: false,
    });
    expect(verifyWebhook(secret, post!, post!.body, now() + 3600)).toMatchObject({ ok: false, reason: expect.stringMatching(/replay/) });
    // The success is recorded just after the receiver answered.
    const health = await eventually(async () => {
      const res = await registry.gql(
        `{ eventWebhook(clientId: "${subscriber.username}") { status consecutiveFailures lastSuccessAt deadLetters } }`,
        {},
        subscriber,
      );
      return res.data.eventWebhook.lastSuccessAt ? res.data.eventWebhook : undefined;
    }, 'the recorded success');
    expect(health).toMatchObject({ status: 'HEALTHY', consecutiveFailures: 0, deadLetters: 0 });
  });

  it('retries a receiver answering 500, parks the event as a dead letter after the limit, and replays it', async () => {
    answer = 500;
    expect(await publish('surat-2')).toMatchObject({ accepted: true });
    const letters = await eventually(async () => {
      const res = await registry.gql(`{ webhookDeadLetters(clientId: "${subscriber.username}") { eventId eventType attempts lastError } }`, {}, subscriber);
      return res.data.webhookDeadLetters.length ? res.data.webhookDeadLetters : undefined;
    }, 'a dead letter');
    expect(letters).toEqual([{ eventId: 'surat-2', eventType: 'KAB-BANYUWANGI/surat.terkirim@1', attempts: 3, lastError: 'HTTP 500' }]);
    expect(of('surat-2')).toHaveLength(3);
    const failing = await registry.gql(
      `{ eventWebhook(clientId: "${subscriber.username}") { status consecutiveFailures lastError deadLetters } }`,
      {},
      subscriber,
    );
    expect(failing.data.eventWebhook).toEqual({ status: 'DEAD_LETTERS', consecutiveFailures: 3, lastError: 'HTTP 500', deadLetters: 1 });
    // Parked means done with on the stream: nothing left pending (nats-server 2.9 ignores a TERM with a reason,
    // which left the event unacknowledged, to come back and be parked again). Operators read the same health.
    const settled = await eventually(
      async () => {
        const res = await registry.gql(`{ eventWebhook(clientId: "${subscriber.username}") { pending } }`, {}, OPERATOR);
        return res.data.eventWebhook.pending === 0 ? res.data.eventWebhook : undefined;
      },
      'nothing pending for the webhook once the event is parked',
      90_000,
    );
    expect(settled).toEqual({ pending: 0 });

    // The events behind it go on once the receiver is back.
    answer = 200;
    expect(await publish('surat-3')).toMatchObject({ accepted: true });
    await eventually(() => (of('surat-3').length ? true : undefined), 'the next event');

    const replay = await registry.gql(`mutation { replayWebhookDeadLetters(clientId: "${subscriber.username}") { eventId } }`, {}, subscriber);
    expect(replay.data.replayWebhookDeadLetters).toEqual([]);
    expect(of('surat-2')).toHaveLength(4);
    expect(verifyWebhook(secret, of('surat-2')[3]!, of('surat-2')[3]!.body, now())).toEqual({ ok: true });
    const healthy = await registry.gql(
      `{ eventWebhook(clientId: "${subscriber.username}") { status deadLetters } all: webhookDeadLetters(clientId: "${subscriber.username}", includeReplayed: true) { eventId replayedAt } }`,
      {},
      subscriber,
    );
    expect(healthy.data.eventWebhook).toEqual({ status: 'HEALTHY', deadLetters: 0 });
    expect(healthy.data.all[0].replayedAt).not.toBeNull();
  });

  it('stops when the grant is revoked', async () => {
    const revoked = await registry.gql(
      `mutation { revokeEventAccess(agencyCode: "KAB-BANYUWANGI", eventType: "surat.terkirim", clientId: "${subscriber.username}") }`,
      {},
      BANYUWANGI_ADMIN,
    );
    expect(revoked.data.revokeEventAccess).toBe(true);
    expect(await publish('surat-4')).toMatchObject({ accepted: true });
    // Once the fan-out has handled it, there is no copy for the client to deliver.
    const names = agencyEventSubjects(registry.service.subjects);
    const jsm = await jetstreamManager(registry.client);
    await eventually(async () => {
      const fanOut = await jsm.consumers.info(names.acceptedStream, FANOUT_CONSUMER);
      return fanOut.num_pending === 0 && fanOut.num_ack_pending === 0 ? true : undefined;
    }, 'the fan-out to handle the event');
    const copies = await jsm.streams.info(names.deliveryStream, { subjects_filter: names.deliveriesOf(subscriber.username) });
    expect(copies.state.subjects ?? {}).toEqual({});
    expect(of('surat-4')).toEqual([]);
  });
});
