import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connectTestBus, postGraphQL, testNatsUrl } from '@simpul/testing';
import { agencyEventSubjects, subjectsFor, type AgencyEvent } from '@simpul/contracts';
import type { NatsConnection } from '@nats-io/nats-core';
import { startPlatform, type Platform } from './platform.ts';
import { agencyClient } from './agency-client.ts';

/**
 * An agency's first event, through the real gateway, identity and registry: the agency
 * declares its event type, grants another agency's system, its own system publishes over
 * HTTP with client credentials, and the granted system pulls it from its consumer.
 */
let platform: Platform;
let nc: NatsConnection;
let admin: string;

beforeAll(async () => {
  platform = await startPlatform({ SIMPUL_DEMO: 'true' }, { services: ['identity', 'registry'] });
  nc = await connectTestBus(testNatsUrl());
  admin = await login('admin');
});
afterAll(async () => {
  await nc?.close();
  await platform?.stop();
});

const { login, gql, postEvent, ...agency } = agencyClient(() => platform);
const apiClient = (agencyCode: string) => agency.apiClient(agencyCode, admin);

describe('agency events over HTTP', () => {
  it('takes a valid event with 202 once, refuses invalid ones with the reason, and delivers only to the granted client', { timeout: 180_000 }, async () => {
    const names = agencyEventSubjects(subjectsFor(platform.namespace));
    const publisher = await apiClient('KAB-BANYUWANGI');
    const subscriber = await apiClient('PROV-JATENG');
    const outsider = await apiClient('KOMINFO');

    await gql(
      'mutation ($s: String!) { declareEventType(input: { agencyCode: "KAB-BANYUWANGI", name: "pegawai.pensiun", version: 1, description: "Seorang pegawai memasuki masa pensiun.", schema: $s }) { version } }',
      {
        s: JSON.stringify({
          type: 'object',
          required: ['nip', 'tmt'],
          properties: { nip: { type: 'string', pattern: '^[0-9]{18}$' }, tmt: { type: 'string', format: 'date' } },
        }),
      },
      admin,
    );
    await gql(
      'mutation ($c: String!) { grantEventAccess(agencyCode: "KAB-BANYUWANGI", eventType: "pegawai.pensiun", clientId: $c) { clientId } }',
      { c: subscriber.clientId },
      admin,
    );

    const event = { id: 'pensiun-2026-0001', data: { nip: '196612311990031005', tmt: '2027-01-01' } };
    const first = await postEvent('pegawai.pensiun', event, publisher.token);
    expect(first).toEqual({ status: 202, body: { id: 'pensiun-2026-0001', type: 'pegawai.pensiun', version: 1, duplicate: false } });
    // A retry after a lost answer: the same id is the same event.
    expect(await postEvent('pegawai.pensiun', event, publisher.token)).toMatchObject({ status: 202, body: { duplicate: true } });

    const invalid = await postEvent('pegawai.pensiun', { id: 'pensiun-bad', data: { nip: '1966', tmt: 'besok' } }, publisher.token);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringMatching(/data\/nip must match pattern.*data\/tmt must match format "date"/),
    });
    expect((await postEvent('sppd.terbit', { id: 'x', data: {} }, publisher.token)).status).toBe(404);
    expect((await postEvent('pegawai.pensiun', event)).status).toBe(401);
    expect((await postEvent('pegawai.pensiun', event, admin)).status).toBe(403);

    // The refusal can be read back by the publisher.
    const rejections = await gql('{ eventRejections(agencyCode: "KAB-BANYUWANGI") { eventId channel reason } }', {}, publisher.token);
    expect(rejections.eventRejections.map((r: { eventId: string }) => r.eventId)).toEqual(['x', 'pensiun-bad']);
    expect(rejections.eventRejections[1]).toMatchObject({ channel: 'HTTP', reason: expect.stringMatching(/data\/nip must match pattern/) });

    // The granted client receives the event once; the client without a grant has no consumer.
    const consumer = await jetstream(nc).consumers.get(names.deliveryStream, names.deliveryConsumer(subscriber.clientId));
    const got = await consumer.next({ expires: 20_000 });
    expect(got?.json<AgencyEvent>()).toMatchObject({
      id: 'pensiun-2026-0001',
      agencyCode: 'KAB-BANYUWANGI',
      type: 'pegawai.pensiun',
      version: 1,
      publisher: publisher.clientId,
    });
    got!.ack();
    expect(await consumer.next({ expires: 1_000 })).toBeNull();
    const jsm = await jetstreamManager(nc);
    await expect(jsm.consumers.info(names.deliveryStream, names.deliveryConsumer(outsider.clientId))).rejects.toThrow(/consumer not found/i);

    // Revoked: its consumer is gone and a new event is not copied for it.
    await gql(
      'mutation ($c: String!) { revokeEventAccess(agencyCode: "KAB-BANYUWANGI", eventType: "pegawai.pensiun", clientId: $c) }',
      { c: subscriber.clientId },
      admin,
    );
    expect(
      (await postEvent('pegawai.pensiun', { id: 'pensiun-2026-0002', data: { nip: '196612311990031005', tmt: '2027-01-01' } }, publisher.token)).status,
    ).toBe(202);
    await expect(jsm.consumers.info(names.deliveryStream, names.deliveryConsumer(subscriber.clientId))).rejects.toThrow(/consumer not found/i);
    const copies = await jsm.streams.info(names.deliveryStream, { subjects_filter: names.deliveriesOf(subscriber.clientId) });
    expect(copies.state.subjects ?? {}).toEqual({});
  });

  it('refuses a grant to an API client identity does not know, or revoked', { timeout: 180_000 }, async () => {
    const grant = 'mutation ($c: String!) { grantEventAccess(agencyCode: "KAB-BANYUWANGI", eventType: "pegawai.pensiun", clientId: $c) { clientId } }';
    const typo = await postGraphQL(platform.url, grant, { c: 'sc_000000000000000000000000' }, admin);
    expect(typo.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(typo.body.errors?.[0]?.message).toMatch(/no API client has the id sc_0{24}/);
    const retired = await apiClient('KOTA-SURABAYA');
    await gql('mutation ($c: String!) { revokeApiClient(clientId: $c) { revokedAt } }', { c: retired.clientId }, admin);
    const revoked = await postGraphQL(platform.url, grant, { c: retired.clientId }, admin);
    expect(revoked.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'clientId', reason: 'API_CLIENT_REVOKED' });
    const grants = await gql('{ eventAccessGrants(agencyCode: "KAB-BANYUWANGI") { clientId } }', {}, admin);
    expect(grants.eventAccessGrants.map((g: { clientId: string }) => g.clientId)).not.toContain(retired.clientId);
  });
});
