import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { jetstream } from '@nats-io/jetstream';
import { createEvent, decodeJson, encodeJson, ensureEventStream, publishEvent } from '@simpul/bus';
import { AgencyEventRefused, agencyEventSubjects, VERDICT_REPLY_HEADER, type AgencyEventVerdict } from '@simpul/contracts';
import {
  BANYUWANGI_ADMIN,
  EMPLOYEE,
  errorCodes,
  eventually,
  NATIONAL_ADMIN,
  REVOKED_CLIENT,
  startTestRegistry,
  UNKNOWN_CLIENT,
  type TestRegistry,
  type TestUser,
} from './support/registry.ts';

/**
 * What the catalogue says about platform types and deprecated versions, what operators
 * read of the whole exchange (the console's Agency events page), and refusals by the
 * services that act on accepted events reaching the publisher.
 */
let registry: TestRegistry;
beforeAll(async () => {
  registry = await startTestRegistry();
  const declare = `mutation ($input: DeclareEventTypeInput!) { declareEventType(input: $input) { version } }`;
  const schema = JSON.stringify({ type: 'object', required: ['nomor'], properties: { nomor: { type: 'string' } } });
  for (const version of [1, 2]) {
    const res = await registry.gql(
      declare,
      { input: { agencyCode: 'KAB-BANYUWANGI', name: 'izin.terbit', version, description: `Izin usaha diterbitkan, format ${version}.`, schema } },
      BANYUWANGI_ADMIN,
    );
    expect(res.errors).toBeUndefined();
  }
});
afterAll(async () => {
  await registry?.close();
});

const OPERATOR: TestUser = { username: 'operator', agencyCode: 'KEMENPANRB', roles: ['OPERATOR'] };
const PUBLISHER: TestUser = { username: 'sc_eeeeeeeeeeeeeeeeeeeeeeee', agencyCode: 'KAB-BANYUWANGI', roles: ['API_CLIENT'], kind: 'client' };
const SUBSCRIBER = 'sc_ffffffffffffffffffffffff';
const GRANT = `mutation ($a: String!, $t: String!, $v: Int, $c: String!) { grantEventAccess(agencyCode: $a, eventType: $t, version: $v, clientId: $c) { clientId } }`;
const names = () => agencyEventSubjects(registry.service.subjects);

async function ingest(eventType: string, body: unknown): Promise<AgencyEventVerdict> {
  const reply = await registry.client.request(
    names().ingest,
    encodeJson({ token: await registry.tokenFor(PUBLISHER), eventType, body: JSON.stringify(body) }),
    { timeout: 30_000 },
  );
  return decodeJson(reply.data) as AgencyEventVerdict;
}

describe('the catalogue', () => {
  it('lists the platform types beside the declared ones, marked platform, with the grants of each version', async () => {
    expect((await registry.gql(GRANT, { a: 'KAB-BANYUWANGI', t: 'izin.terbit', c: SUBSCRIBER }, BANYUWANGI_ADMIN)).errors).toBeUndefined();
    expect(
      (await registry.gql(GRANT, { a: 'KAB-BANYUWANGI', t: 'izin.terbit', v: 2, c: 'sc_111111111111111111111111' }, BANYUWANGI_ADMIN)).errors,
    ).toBeUndefined();
    expect((await registry.gql(GRANT, { a: 'KAB-BANYUWANGI', t: 'simpeg.pengangkatan', c: SUBSCRIBER }, BANYUWANGI_ADMIN)).errors).toBeUndefined();

    const own = await registry.gql('{ eventTypes(agencyCode: "KAB-BANYUWANGI") { ownerAgencyCode name version platform grantCount subject } }', {}, EMPLOYEE);
    const ns = registry.service.subjects.namespace;
    expect(own.data.eventTypes).toEqual([
      {
        ownerAgencyCode: 'KAB-BANYUWANGI',
        name: 'simpeg.pengangkatan',
        version: 1,
        platform: true,
        grantCount: 1,
        subject: `${ns}.ext.KAB-BANYUWANGI.simpeg.pengangkatan`,
      },
      {
        ownerAgencyCode: 'KAB-BANYUWANGI',
        name: 'simpeg.mutasi',
        version: 1,
        platform: true,
        grantCount: 0,
        subject: `${ns}.ext.KAB-BANYUWANGI.simpeg.mutasi`,
      },
      {
        ownerAgencyCode: 'KAB-BANYUWANGI',
        name: 'simpeg.pensiun',
        version: 1,
        platform: true,
        grantCount: 0,
        subject: `${ns}.ext.KAB-BANYUWANGI.simpeg.pensiun`,
      },
      // Only Simpul publishes it: the subject is where it is stored for the agency.
      {
        ownerAgencyCode: 'KAB-BANYUWANGI',
        name: 'surat.masuk',
        version: 1,
        platform: true,
        grantCount: 0,
        subject: `${ns}.agency.KAB-BANYUWANGI.v1.surat.masuk`,
      },
      { ownerAgencyCode: 'KAB-BANYUWANGI', name: 'izin.terbit', version: 1, platform: false, grantCount: 1, subject: `${ns}.ext.KAB-BANYUWANGI.izin.terbit` },
      { ownerAgencyCode: 'KAB-BANYUWANGI', name: 'izin.terbit', version: 2, platform: false, grantCount: 2, subject: `${ns}.ext.KAB-BANYUWANGI.izin.terbit` },
    ]);
    // For no agency in particular, a platform type is every agency's: its grants over all of them.
    const all = await registry.gql('{ eventTypes { ownerAgencyCode name platform grantCount } }', {}, EMPLOYEE);
    expect(all.data.eventTypes.filter((t: { platform: boolean }) => t.platform)[0]).toEqual({
      ownerAgencyCode: '*',
      name: 'simpeg.pengangkatan',
      platform: true,
      grantCount: 1,
    });
    const declaredOnly = await registry.gql('{ eventTypes(includePlatform: false) { name version } }', {}, EMPLOYEE);
    expect(declaredOnly.data.eventTypes).toEqual([
      { name: 'izin.terbit', version: 1 },
      { name: 'izin.terbit', version: 2 },
    ]);
  });

  it('accepts a deprecated version with a warning (current versions carry none), and stores and delivers it as before', async () => {
    const before = await ingest('izin.terbit', { id: 'izin-lama-1', version: 1, data: { nomor: '503/1' } });
    expect(before).toEqual({ accepted: true, id: 'izin-lama-1', type: 'izin.terbit', version: 1, duplicate: false });
    const res = await registry.gql(
      'mutation { deprecateEventType(agencyCode: "KAB-BANYUWANGI", name: "izin.terbit", version: 1, reason: "pakai versi 2") { deprecated } }',
      {},
      BANYUWANGI_ADMIN,
    );
    expect(res.errors).toBeUndefined();
    // The gate re-reads a declaration within seconds (another instance may have deprecated it).
    const warned = await eventually(
      async () => {
        const verdict = await ingest('izin.terbit', { id: `izin-lama-${Date.now()}`, version: 1, data: { nomor: '503/2' } });
        return verdict.accepted && verdict.warning ? verdict : undefined;
      },
      'the deprecation warning',
      90_000,
    );
    expect(warned.warning).toMatch(/^KAB-BANYUWANGI\/izin\.terbit@1 is deprecated since \d{4}-\d{2}-\d{2} \(pakai versi 2\); publish a current version$/);
    const current = await ingest('izin.terbit', { id: 'izin-baru-1', version: 2, data: { nomor: '503/3' } });
    expect(current).toEqual({ accepted: true, id: 'izin-baru-1', type: 'izin.terbit', version: 2, duplicate: false });
    // Still delivered to the subscriber granted every version.
    const consumer = await jetstream(registry.client).consumers.get(names().deliveryStream, names().deliveryConsumer(SUBSCRIBER));
    await eventually(async () => ((await consumer.info()).num_pending >= 3 ? true : undefined), 'three copies for the subscriber');
  });
});

describe('grants', () => {
  it('refuse an API client that does not exist (NOT_FOUND) or was revoked (BAD_USER_INPUT), and keep nothing', async () => {
    const unknown = await registry.gql(GRANT, { a: 'KAB-BANYUWANGI', t: 'izin.terbit', c: UNKNOWN_CLIENT }, BANYUWANGI_ADMIN);
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
    expect(unknown.errors?.[0]?.message).toMatch(/no API client has the id sc_9{24}/);
    const revoked = await registry.gql(GRANT, { a: 'KAB-BANYUWANGI', t: 'izin.terbit', c: REVOKED_CLIENT }, BANYUWANGI_ADMIN);
    expect(errorCodes(revoked)).toEqual(['BAD_USER_INPUT']);
    expect(revoked.errors?.[0]?.message).toMatch(/was revoked/);
    expect(revoked.errors?.[0]?.extensions).toMatchObject({ field: 'clientId', reason: 'API_CLIENT_REVOKED' });
    const grants = await registry.gql('{ eventAccessGrants(agencyCode: "KAB-BANYUWANGI") { clientId } }', {}, BANYUWANGI_ADMIN);
    expect(grants.data.eventAccessGrants.map((g: { clientId: string }) => g.clientId)).not.toEqual(expect.arrayContaining([UNKNOWN_CLIENT]));
    expect(grants.data.eventAccessGrants.map((g: { clientId: string }) => g.clientId)).not.toEqual(expect.arrayContaining([REVOKED_CLIENT]));
    // Revoking what was never granted stays a plain false, whatever the client.
    const revoke = await registry.gql(
      'mutation { revokeEventAccess(agencyCode: "KAB-BANYUWANGI", eventType: "izin.terbit", clientId: "sc_999999999999999999999999") }',
      {},
      BANYUWANGI_ADMIN,
    );
    expect(revoke.data.revokeEventAccess).toBe(false);
  });
});

describe("the operators' view", () => {
  it('lists every subscriber with its grants and NATS backlog for OPERATOR, NATIONAL_ADMIN and AUDITOR only', async () => {
    const query = '{ eventSubscribers { clientId natsPending webhook { status } grants { ownerAgencyCode eventType version } } }';
    const res = await registry.gql(query, {}, OPERATOR);
    expect(res.errors).toBeUndefined();
    const subscriber = res.data.eventSubscribers.find((s: { clientId: string }) => s.clientId === SUBSCRIBER);
    expect(subscriber.grants).toEqual([
      { ownerAgencyCode: 'KAB-BANYUWANGI', eventType: 'izin.terbit', version: null },
      { ownerAgencyCode: 'KAB-BANYUWANGI', eventType: 'simpeg.pengangkatan', version: null },
    ]);
    expect(subscriber.natsPending).toBeGreaterThanOrEqual(3);
    expect(subscriber.webhook).toBeNull();
    expect((await registry.gql(query, {}, NATIONAL_ADMIN)).errors).toBeUndefined();
    expect(errorCodes(await registry.gql(query, {}, BANYUWANGI_ADMIN))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await registry.gql(query, {}, PUBLISHER))).toEqual(['FORBIDDEN']);
  });

  it("shows every agency's refusals to operators; an agency administrator still reads only its own", async () => {
    const refused = await ingest('izin.terbit', { id: 'izin-salah', data: { nomer: 'typo' } });
    expect(refused).toMatchObject({ accepted: false, code: 'BAD_USER_INPUT' });
    const all = await registry.gql('{ eventRejections(first: 10) { agencyCode eventId refusedBy reason } }', {}, OPERATOR);
    expect(all.data.eventRejections[0]).toMatchObject({ agencyCode: 'KAB-BANYUWANGI', eventId: 'izin-salah', refusedBy: 'registry' });
    expect(errorCodes(await registry.gql('{ eventRejections { id } }', {}, BANYUWANGI_ADMIN))).toEqual(['FORBIDDEN']);
    expect((await registry.gql('{ eventRejections(agencyCode: "KAB-BANYUWANGI") { id } }', {}, BANYUWANGI_ADMIN)).errors).toBeUndefined();
  });
});

describe('refusals by the service that acts on an accepted event', () => {
  it("reach the publisher as the gate's do: in eventRejections (refusedBy personnel) and on the reply subject it asked for", async () => {
    const subjects = registry.service.subjects;
    await ensureEventStream(registry.client, subjects);
    const inbox = `${subjects.externalInboxPrefix('KAB-BANYUWANGI')}.verdict.refused`;
    const sub = registry.client.subscribe(inbox, { max: 1, timeout: 60_000 });
    const refusal = {
      agencyCode: 'KAB-BANYUWANGI',
      eventId: 'sk-luar-1',
      eventType: 'simpeg.pengangkatan',
      version: 1,
      channel: 'NATS' as const,
      code: 'FORBIDDEN' as const,
      reason: 'An agency system acts for its own agency only: KAB-BANYUWANGI, not KOTA-SURABAYA',
      replyTo: inbox,
      excerpt: '{"nip":"199001152015031001","agencyCode":"KOTA-SURABAYA"}',
    };
    const event = createEvent(subjects, AgencyEventRefused.personnel, refusal);
    await publishEvent(jetstream(registry.client), event);
    // The same refusal event again (a redelivery) is recorded once.
    await publishEvent(jetstream(registry.client), event);

    for await (const msg of sub) {
      expect(decodeJson(msg.data)).toEqual({
        accepted: false,
        id: 'sk-luar-1',
        type: 'simpeg.pengangkatan',
        code: 'FORBIDDEN',
        reason: refusal.reason,
        refusedBy: 'personnel',
      });
    }
    const rows = await eventually(
      async () => {
        const res = await registry.gql(
          '{ eventRejections(agencyCode: "KAB-BANYUWANGI") { eventId eventType version channel refusedBy reason excerpt } }',
          {},
          BANYUWANGI_ADMIN,
        );
        const found = res.data.eventRejections.filter((r: { eventId: string }) => r.eventId === 'sk-luar-1');
        return found.length ? found : undefined;
      },
      'the refusal in eventRejections',
      90_000,
    );
    expect(rows).toEqual([
      {
        eventId: 'sk-luar-1',
        eventType: 'simpeg.pengangkatan',
        version: 1,
        channel: 'NATS',
        refusedBy: 'personnel',
        reason: refusal.reason,
        excerpt: refusal.excerpt,
      },
    ]);

    // A reply subject outside the publisher's own inbox is never answered.
    const foreign = `${subjects.externalInboxPrefix('KOTA-SURABAYA')}.stolen`;
    const spy = registry.client.subscribe(foreign, { max: 1 });
    let answered = false;
    void (async () => {
      for await (const _ of spy) answered = true;
    })();
    await publishEvent(jetstream(registry.client), createEvent(subjects, AgencyEventRefused.personnel, { ...refusal, eventId: 'sk-luar-2', replyTo: foreign }));
    await eventually(
      async () => {
        const res = await registry.gql('{ eventRejections(agencyCode: "KAB-BANYUWANGI", first: 1) { eventId } }', {}, BANYUWANGI_ADMIN);
        return res.data.eventRejections[0]?.eventId === 'sk-luar-2' ? true : undefined;
      },
      'the second refusal recorded',
      90_000,
    );
    await registry.client.flush();
    expect(answered).toBe(false);
    spy.unsubscribe();
  });
});

// Keeps the header import honest: the gate passes the publisher's reply subject on with the accepted event.
describe('the accepted event', () => {
  it("carries the NATS publisher's reply subject and channel, so a later refusal can answer there", async () => {
    const subjects = registry.service.subjects;
    const inbox = `${subjects.externalInboxPrefix('KAB-BANYUWANGI')}.verdict.carry`;
    const h = natsHeaders();
    h.set(VERDICT_REPLY_HEADER, inbox);
    const sub = registry.client.subscribe(inbox, { max: 1, timeout: 60_000 });
    await jetstream(registry.client).publish(
      names().publish('KAB-BANYUWANGI', 'izin.terbit'),
      encodeJson({ id: 'izin-nats-1', version: 2, data: { nomor: '503/9' } }),
      { headers: h },
    );
    for await (const msg of sub) expect(decodeJson(msg.data)).toMatchObject({ accepted: true, id: 'izin-nats-1' });
    const consumer = await jetstream(registry.client).consumers.get(names().acceptedStream);
    const stored = await eventually(
      async () => {
        const batch = await consumer.fetch({ max_messages: 100, expires: 2_000 });
        for await (const m of batch) {
          const event = decodeJson(m.data) as { id: string; channel?: string };
          if (event.id === 'izin-nats-1') return { event, replyTo: m.headers?.get(VERDICT_REPLY_HEADER) };
        }
        return undefined;
      },
      'the accepted event on its stream',
      90_000,
    );
    expect(stored).toEqual({ event: expect.objectContaining({ channel: 'NATS' }), replyTo: inbox });
  });
});
