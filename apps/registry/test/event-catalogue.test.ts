import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { createEvent, decodeJson, encodeJson, publishEvent } from '@simpul/bus';
import { agencyEventSubjects, DocumentSent, VERDICT_REPLY_HEADER, type AgencyEvent, type AgencyEventVerdict } from '@simpul/contracts';
import {
  BANYUWANGI_ADMIN,
  EMPLOYEE,
  errorCodes,
  eventually,
  NATIONAL_ADMIN,
  startTestRegistry,
  SURABAYA_ADMIN,
  type TestRegistry,
  type TestUser,
} from './support/registry.ts';

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startTestRegistry();
});
afterAll(async () => {
  await registry?.close();
});

const SCHEMA = JSON.stringify({
  type: 'object',
  required: ['nip', 'unitCode', 'tmt'],
  additionalProperties: false,
  properties: {
    nip: { type: 'string', pattern: '^[0-9]{18}$' },
    unitCode: { type: 'string', minLength: 1 },
    tmt: { type: 'string', format: 'date' },
  },
});

const DECLARE = `mutation ($input: DeclareEventTypeInput!) {
  declareEventType(input: $input) { id ownerAgencyCode name version description schema deprecated subject declaredBy }
}`;
const declare = (input: Record<string, unknown>, user: TestUser = BANYUWANGI_ADMIN) =>
  registry.gql(
    DECLARE,
    {
      input: {
        agencyCode: 'KAB-BANYUWANGI',
        name: 'pegawai.mutasi',
        version: 1,
        description: 'Seorang pegawai dipindahkan ke unit kerja lain.',
        schema: SCHEMA,
        ...input,
      },
    },
    user,
  );

const GRANT = `mutation ($a: String!, $t: String!, $v: Int, $c: String!) { grantEventAccess(agencyCode: $a, eventType: $t, version: $v, clientId: $c) { ownerAgencyCode eventType version clientId grantedBy } }`;
const REVOKE = `mutation ($a: String!, $t: String!, $v: Int, $c: String!) { revokeEventAccess(agencyCode: $a, eventType: $t, version: $v, clientId: $c) }`;
const SURABAYA_CLIENT = 'sc_0123456789abcdef01234567';

async function audits(action: string) {
  const rows = await registry.service.prisma.outboxEvent.findMany({
    where: { type: 'registry.audit.recorded', payload: { path: ['data', 'action'], equals: action } },
    orderBy: { id: 'asc' },
  });
  return rows.map((r) => (r.payload as { data: { outcome: string; actorName: string; target: string; detail: Record<string, unknown> } }).data);
}

describe('the event catalogue', () => {
  it('lets an agency administrator declare an event type, readable by anyone logged in, and audits it', async () => {
    const res = await declare({});
    expect(res.errors).toBeUndefined();
    expect(res.data.declareEventType).toMatchObject({
      ownerAgencyCode: 'KAB-BANYUWANGI',
      name: 'pegawai.mutasi',
      version: 1,
      deprecated: false,
      declaredBy: 'admin.kab-banyuwangi',
    });
    expect(res.data.declareEventType.subject).toBe(`${registry.service.subjects.namespace}.ext.KAB-BANYUWANGI.pegawai.mutasi`);
    expect(JSON.parse(res.data.declareEventType.schema)).toEqual(JSON.parse(SCHEMA));

    const read = await registry.gql(
      '{ eventTypes(agencyCode: "KAB-BANYUWANGI", includePlatform: false) { name version } one: eventType(agencyCode: "KAB-BANYUWANGI", name: "pegawai.mutasi") { version description } }',
      {},
      EMPLOYEE,
    );
    expect(read.data).toEqual({
      eventTypes: [{ name: 'pegawai.mutasi', version: 1 }],
      one: { version: 1, description: 'Seorang pegawai dipindahkan ke unit kerja lain.' },
    });
    expect((await audits('event-type.declare')).map((a) => [a.outcome, a.target])).toContainEqual(['SUCCESS', 'event-type:KAB-BANYUWANGI/pegawai.mutasi@1']);
    expect(errorCodes(await registry.gql('{ eventTypes { name } }'))).toEqual(['UNAUTHENTICATED']);
  });

  it('keeps a declared version unchanged: the same declaration is idempotent, another is a CONFLICT', async () => {
    const again = await declare({});
    expect(again.errors).toBeUndefined();
    const changed = await declare({ schema: JSON.stringify({ type: 'object' }) });
    expect(errorCodes(changed)).toEqual(['CONFLICT']);
    expect(changed.errors?.[0]?.message).toMatch(/declare version 2/);
  });

  it('refuses another agency, an employee, bad names and invalid JSON Schemas, with the reason', async () => {
    expect(errorCodes(await declare({}, SURABAYA_ADMIN))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await declare({}, EMPLOYEE))).toEqual(['FORBIDDEN']);
    expect(
      (await audits('event-type.declare'))
        .filter((a) => a.outcome === 'DENIED')
        .map((a) => a.actorName)
        .sort(),
    ).toEqual(['admin.kota-surabaya', 'pegawai.kominfo']);

    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: 'Pegawai Mutasi' }, /not an event type name/],
      [{ name: 'pegawai.>' }, /not an event type name/],
      [{ version: 0 }, /version: must be a whole number/],
      [{ schema: '{ not json' }, /schema: is not JSON/],
      [{ schema: JSON.stringify({ type: 'string' }) }, /must describe an object/],
      [{ schema: JSON.stringify({ type: 'object', properties: { a: { type: 'strnig' } } }) }, /not a valid JSON Schema/],
      [{ schema: JSON.stringify({ type: 'object', requird: ['a'] }) }, /not a valid JSON Schema.*requird/],
      [{ schema: JSON.stringify({ type: 'object', properties: { a: { $ref: 'https://example.org/x.json' } } }) }, /not a valid JSON Schema/],
      [{ schema: JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' }) }, /draft-04/],
    ];
    for (const [input, message] of cases) {
      const res = await declare({ version: 9, ...input });
      expect([JSON.stringify(input), errorCodes(res)]).toEqual([JSON.stringify(input), ['BAD_USER_INPUT']]);
      expect(res.errors?.[0]?.message).toMatch(message);
    }
    // Nothing of the refused declarations was kept.
    expect((await registry.gql('{ eventTypes(includeDeprecated: true, includePlatform: false) { version } }', {}, EMPLOYEE)).data.eventTypes).toEqual([
      { version: 1 },
    ]);
  });

  it('accepts a draft-07 schema and lets a national administrator declare for any agency', async () => {
    const res = await declare(
      {
        agencyCode: 'KOTA-SURABAYA',
        name: 'izin.terbit',
        schema: JSON.stringify({
          $schema: 'http://json-schema.org/draft-07/schema#',
          type: 'object',
          required: ['nomor'],
          properties: { nomor: { type: 'string' } },
        }),
      },
      NATIONAL_ADMIN,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.declareEventType).toMatchObject({ ownerAgencyCode: 'KOTA-SURABAYA', name: 'izin.terbit', version: 1 });
  });

  it('deprecates a version (audited): hidden unless asked for, still readable', async () => {
    await declare({ name: 'pegawai.lama', description: 'Format lama data pegawai, diganti pegawai.mutasi.' });
    const denied = await registry.gql(
      'mutation { deprecateEventType(agencyCode: "KAB-BANYUWANGI", name: "pegawai.lama", version: 1) { deprecated } }',
      {},
      SURABAYA_ADMIN,
    );
    expect(errorCodes(denied)).toEqual(['FORBIDDEN']);
    const res = await registry.gql(
      'mutation { deprecateEventType(agencyCode: "KAB-BANYUWANGI", name: "pegawai.lama", version: 1, reason: "use pegawai.mutasi") { deprecated deprecatedAt deprecationReason } }',
      {},
      BANYUWANGI_ADMIN,
    );
    expect(res.data.deprecateEventType).toMatchObject({ deprecated: true, deprecationReason: 'use pegawai.mutasi' });
    const list = await registry.gql(
      '{ current: eventTypes(agencyCode: "KAB-BANYUWANGI", includePlatform: false) { name } all: eventTypes(agencyCode: "KAB-BANYUWANGI", includeDeprecated: true, includePlatform: false) { name deprecated } }',
      {},
      EMPLOYEE,
    );
    expect(list.data.current).toEqual([{ name: 'pegawai.mutasi' }]);
    expect(list.data.all).toEqual([
      { name: 'pegawai.lama', deprecated: true },
      { name: 'pegawai.mutasi', deprecated: false },
    ]);
    expect((await audits('event-type.deprecate')).map((a) => a.outcome).sort()).toEqual(['DENIED', 'SUCCESS']);
    const missing = await registry.gql(
      'mutation { deprecateEventType(agencyCode: "KAB-BANYUWANGI", name: "tidak.ada", version: 1) { deprecated } }',
      {},
      BANYUWANGI_ADMIN,
    );
    expect(errorCodes(missing)).toEqual(['NOT_FOUND']);
  });
});

describe('grants to receive events', () => {
  it('lets the owner grant and revoke an API client, audited, idempotent; others are refused', async () => {
    const vars = { a: 'KAB-BANYUWANGI', t: 'pegawai.mutasi', c: SURABAYA_CLIENT };
    expect(errorCodes(await registry.gql(GRANT, vars, SURABAYA_ADMIN))).toEqual(['FORBIDDEN']);
    const granted = await registry.gql(GRANT, vars, BANYUWANGI_ADMIN);
    expect(granted.data.grantEventAccess).toEqual({
      ownerAgencyCode: 'KAB-BANYUWANGI',
      eventType: 'pegawai.mutasi',
      version: null,
      clientId: SURABAYA_CLIENT,
      grantedBy: 'admin.kab-banyuwangi',
    });
    expect((await registry.gql(GRANT, vars, BANYUWANGI_ADMIN)).errors).toBeUndefined();
    expect((await registry.gql(GRANT, { ...vars, v: 1 }, BANYUWANGI_ADMIN)).data.grantEventAccess.version).toBe(1);

    const listed = await registry.gql('{ eventAccessGrants(agencyCode: "KAB-BANYUWANGI") { eventType version clientId } }', {}, BANYUWANGI_ADMIN);
    expect(listed.data.eventAccessGrants).toEqual([
      { eventType: 'pegawai.mutasi', version: null, clientId: SURABAYA_CLIENT },
      { eventType: 'pegawai.mutasi', version: 1, clientId: SURABAYA_CLIENT },
    ]);
    expect(errorCodes(await registry.gql('{ eventAccessGrants(agencyCode: "KAB-BANYUWANGI") { clientId } }', {}, SURABAYA_ADMIN))).toEqual(['FORBIDDEN']);
    const client: TestUser = { username: SURABAYA_CLIENT, agencyCode: 'KOTA-SURABAYA', roles: ['API_CLIENT'], kind: 'client' };
    const own = await registry.gql(`{ eventAccessOf(clientId: "${SURABAYA_CLIENT}") { ownerAgencyCode eventType version } }`, {}, client);
    expect(own.data.eventAccessOf).toHaveLength(2);

    expect((await registry.gql(REVOKE, { ...vars, v: 1 }, BANYUWANGI_ADMIN)).data.revokeEventAccess).toBe(true);
    expect((await registry.gql(REVOKE, { ...vars, v: 1 }, BANYUWANGI_ADMIN)).data.revokeEventAccess).toBe(false);
    const grants = (await audits('event-access.grant')).map((a) => `${a.outcome} ${String(a.detail.version)}`);
    expect(grants.sort()).toEqual(['DENIED undefined', 'SUCCESS 1', 'SUCCESS all']);
    expect((await audits('event-access.revoke')).map((a) => a.outcome)).toEqual(['SUCCESS']);
  });

  it('refuses grants on undeclared types and malformed client ids', async () => {
    const res = await registry.gql(GRANT, { a: 'KAB-BANYUWANGI', t: 'tidak.ada', c: SURABAYA_CLIENT }, BANYUWANGI_ADMIN);
    expect(errorCodes(res)).toEqual(['NOT_FOUND']);
    const bad = await registry.gql(GRANT, { a: 'KAB-BANYUWANGI', t: 'pegawai.mutasi', c: 'SIMPEG Surabaya' }, BANYUWANGI_ADMIN);
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await registry.gql(GRANT, { a: 'KAB-BANYUWANGI', t: 'pegawai.mutasi', v: 7, c: SURABAYA_CLIENT }, BANYUWANGI_ADMIN))).toEqual([
      'NOT_FOUND',
    ]);
  });
});

describe('every published event is validated', () => {
  const names = () => agencyEventSubjects(registry.service.subjects);
  const valid = { nip: '198503302010011002', unitCode: 'BKPSDM', tmt: '2026-12-01' };

  async function acceptedEvents(): Promise<AgencyEvent[]> {
    const jsm = await jetstreamManager(registry.client);
    const info = await jsm.streams.info(names().acceptedStream);
    const out: AgencyEvent[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const msg = await jsm.streams.getMessage(names().acceptedStream, { seq }).catch(() => null);
      if (msg) out.push(decodeJson(msg.data) as AgencyEvent);
    }
    return out;
  }

  /** Publishes as the agency system would, and waits for the verdict on its own inbox. */
  async function publishOverNats(agency: string, type: string, event: unknown): Promise<AgencyEventVerdict> {
    const inbox = `${registry.service.subjects.externalInboxPrefix(agency)}.verdict.${Math.random().toString(36).slice(2)}`;
    const sub = registry.client.subscribe(inbox, { max: 1, timeout: 20_000 });
    const h = natsHeaders();
    h.set(VERDICT_REPLY_HEADER, inbox);
    const id = (event as { id?: string }).id;
    await jetstream(registry.client).publish(`${registry.service.subjects.namespace}.ext.${agency}.${type}`, encodeJson(event), {
      headers: h,
      ...(id ? { msgID: id } : {}),
    });
    for await (const msg of sub) return decodeJson(msg.data) as AgencyEventVerdict;
    throw new Error('no verdict');
  }

  it('accepts a valid event published over NATS, stores it once, and answers on the reply subject', async () => {
    const verdict = await publishOverNats('KAB-BANYUWANGI', 'pegawai.mutasi', { id: 'mutasi-0001', data: valid });
    expect(verdict).toEqual({ accepted: true, id: 'mutasi-0001', type: 'pegawai.mutasi', version: 1, duplicate: false });
    const stored = (await acceptedEvents()).filter((e) => e.id === 'mutasi-0001');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ agencyCode: 'KAB-BANYUWANGI', type: 'pegawai.mutasi', version: 1, data: valid });
  });

  it('refuses invalid and undeclared events with the reason, on the reply subject and in eventRejections', async () => {
    const invalid = await publishOverNats('KAB-BANYUWANGI', 'pegawai.mutasi', {
      id: 'mutasi-bad',
      data: { nip: '123', unitCode: 'BKPSDM', tmt: '2026-12-01', extra: 1 },
    });
    expect(invalid).toMatchObject({ accepted: false, code: 'BAD_USER_INPUT', id: 'mutasi-bad' });
    expect(invalid.accepted === false && invalid.reason).toMatch(/data\/nip must match pattern/);
    expect(invalid.accepted === false && invalid.reason).toMatch(/additional properties \('extra'\)/);
    const undeclared = await publishOverNats('KAB-BANYUWANGI', 'sppd.terbit', { id: 'sppd-1', data: {} });
    expect(undeclared).toMatchObject({ accepted: false, code: 'NOT_FOUND' });
    const envelope = await publishOverNats('KAB-BANYUWANGI', 'pegawai.mutasi', { data: valid });
    expect(envelope.accepted === false && envelope.reason).toMatch(/envelope is invalid \(id:/);
    // Another agency's type under its own subject is that agency's undeclared type, never Banyuwangi's.
    expect(await publishOverNats('KOTA-SURABAYA', 'pegawai.mutasi', { id: 'x-1', data: valid })).toMatchObject({ accepted: false, code: 'NOT_FOUND' });

    expect((await acceptedEvents()).map((e) => e.id)).toEqual(['mutasi-0001']);
    const rejections = await registry.gql(
      '{ eventRejections(agencyCode: "KAB-BANYUWANGI") { eventId eventType channel reason excerpt } }',
      {},
      BANYUWANGI_ADMIN,
    );
    expect(rejections.data.eventRejections.map((r: { eventId: string | null }) => r.eventId)).toEqual([null, 'sppd-1', 'mutasi-bad']);
    expect(rejections.data.eventRejections[2]).toMatchObject({ eventType: 'pegawai.mutasi', channel: 'NATS' });
    expect(errorCodes(await registry.gql('{ eventRejections(agencyCode: "KAB-BANYUWANGI") { id } }', {}, SURABAYA_ADMIN))).toEqual(['FORBIDDEN']);
  });

  it('takes events from the gateway for an API client as its own agency, de-duplicated by id', async () => {
    const client: TestUser = { username: 'sc_aaaaaaaaaaaaaaaaaaaaaaaa', agencyCode: 'KAB-BANYUWANGI', roles: ['API_CLIENT'], kind: 'client' };
    const ingest = async (user: TestUser, eventType: string, body: unknown) => {
      const reply = await registry.client.request(
        names().ingest,
        encodeJson({ token: await registry.tokenFor(user), eventType, body: typeof body === 'string' ? body : JSON.stringify(body) }),
        { timeout: 20_000 },
      );
      return decodeJson(reply.data) as AgencyEventVerdict;
    };
    const first = await ingest(client, 'pegawai.mutasi', { id: 'http-0001', version: 1, data: valid });
    expect(first).toEqual({ accepted: true, id: 'http-0001', type: 'pegawai.mutasi', version: 1, duplicate: false });
    expect(await ingest(client, 'pegawai.mutasi', { id: 'http-0001', version: 1, data: valid })).toMatchObject({ accepted: true, duplicate: true });
    expect(await ingest(client, 'pegawai.mutasi', '{"id": "http-2", "data": ')).toMatchObject({
      accepted: false,
      code: 'BAD_USER_INPUT',
      reason: expect.stringMatching(/not JSON/),
    });
    expect(await ingest(BANYUWANGI_ADMIN, 'pegawai.mutasi', { id: 'http-3', data: valid })).toMatchObject({ accepted: false, code: 'FORBIDDEN' });
    const http = (await acceptedEvents()).filter((e) => e.id === 'http-0001');
    expect(http).toHaveLength(1);
    expect(http[0]!.publisher).toBe(client.username);
    const r = await registry.gql('{ eventRejections(agencyCode: "KAB-BANYUWANGI", first: 1) { channel reason } }', {}, client);
    expect(r.data.eventRejections[0]).toMatchObject({ channel: 'HTTP' });
  });

  it('takes a platform-defined type (SIMPEG appointment) from any agency for itself, undeclared, against the platform schema', async () => {
    const appointment = {
      nip: '199001152015031001',
      name: 'Rina Wulandari',
      agencyCode: 'KOTA-SURABAYA',
      rank: 'III/a',
      positionName: 'Analis Kepegawaian',
      positionType: 'AHLI_PERTAMA',
    };
    const verdict = await publishOverNats('KOTA-SURABAYA', 'simpeg.pengangkatan', { id: 'sk-2026-001', data: appointment });
    expect(verdict).toEqual({ accepted: true, id: 'sk-2026-001', type: 'simpeg.pengangkatan', version: 1, duplicate: false });
    const stored = (await acceptedEvents()).find((e) => e.id === 'sk-2026-001');
    expect(stored).toMatchObject({ agencyCode: 'KOTA-SURABAYA', type: 'simpeg.pengangkatan', version: 1, data: appointment });

    const invalid = await publishOverNats('KOTA-SURABAYA', 'simpeg.pengangkatan', { id: 'sk-bad', data: { ...appointment, rank: 'III/z', gaji: 1 } });
    expect(invalid).toMatchObject({ accepted: false, code: 'BAD_USER_INPUT' });
    expect(invalid.accepted === false && invalid.reason).toMatch(/data\/rank must be equal to one of the allowed values/);
    expect(invalid.accepted === false && invalid.reason).toMatch(/additional properties \('gaji'\)/);
    // No agency declares (and so shadows) a platform type.
    expect(errorCodes(await declare({ name: 'simpeg.pengangkatan' }))).toEqual(['CONFLICT']);
  });
});

describe('delivery over NATS to granted clients', () => {
  const SUBSCRIBER = 'sc_bbbbbbbbbbbbbbbbbbbbbbbb';
  const OTHER = 'sc_cccccccccccccccccccccccc';
  const valid = { nip: '198503302010011002', unitCode: 'BKPSDM', tmt: '2026-12-01' };
  const names = () => agencyEventSubjects(registry.service.subjects);
  const publisher: TestUser = { username: 'sc_dddddddddddddddddddddddd', agencyCode: 'KAB-BANYUWANGI', roles: ['API_CLIENT'], kind: 'client' };

  async function publish(id: string): Promise<AgencyEventVerdict> {
    const reply = await registry.client.request(
      names().ingest,
      encodeJson({ token: await registry.tokenFor(publisher), eventType: 'pegawai.mutasi', body: JSON.stringify({ id, data: valid }) }),
      { timeout: 20_000 },
    );
    return decodeJson(reply.data) as AgencyEventVerdict;
  }

  /** Pulls what the client's consumer holds (as the client would), acknowledging each. */
  async function pull(clientId: string, expected: number): Promise<string[]> {
    const consumer = await jetstream(registry.client).consumers.get(names().deliveryStream, names().deliveryConsumer(clientId));
    const ids: string[] = [];
    const deadline = Date.now() + 20_000;
    while (ids.length < expected && Date.now() < deadline) {
      const batch = await consumer.fetch({ max_messages: 10, expires: 1000 });
      for await (const m of batch) {
        ids.push((decodeJson(m.data) as AgencyEvent).id);
        m.ack();
      }
    }
    // Anything more than expected would show up here.
    const rest = await consumer.fetch({ max_messages: 10, expires: 1000 });
    for await (const m of rest) {
      ids.push((decodeJson(m.data) as AgencyEvent).id);
      m.ack();
    }
    return ids;
  }

  async function consumerExists(clientId: string): Promise<boolean> {
    const jsm = await jetstreamManager(registry.client);
    return jsm.consumers.info(names().deliveryStream, names().deliveryConsumer(clientId)).then(
      () => true,
      () => false,
    );
  }

  it('delivers each accepted event once to a granted client, nothing to a client without a grant, and stops at revocation', async () => {
    expect(await consumerExists(SUBSCRIBER)).toBe(false);
    const before = new Date(Date.now() - 1000).toISOString();
    const grant = await registry.gql(GRANT, { a: 'KAB-BANYUWANGI', t: 'pegawai.mutasi', c: SUBSCRIBER }, BANYUWANGI_ADMIN);
    expect(grant.errors).toBeUndefined();
    expect(await consumerExists(SUBSCRIBER)).toBe(true);

    expect(await publish('deliver-1')).toMatchObject({ accepted: true, duplicate: false });
    expect(await publish('deliver-1')).toMatchObject({ accepted: true, duplicate: true });
    expect(await publish('deliver-2')).toMatchObject({ accepted: true });
    expect(await pull(SUBSCRIBER, 2)).toEqual(['deliver-1', 'deliver-2']);
    // Replay from a point in time: the client itself, or a national administrator.
    const asSubscriber: TestUser = { username: SUBSCRIBER, agencyCode: 'PROV-JATENG', roles: ['API_CLIENT'], kind: 'client' };
    const asOther: TestUser = { username: OTHER, agencyCode: 'KOMINFO', roles: ['API_CLIENT'], kind: 'client' };
    const REPLAY = `mutation ($c: String!, $s: String!) { replayEventDeliveries(clientId: $c, since: $s) }`;
    expect(errorCodes(await registry.gql(REPLAY, { c: SUBSCRIBER, s: before }, asOther))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await registry.gql(REPLAY, { c: SUBSCRIBER, s: 'gestern' }, asSubscriber))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await registry.gql(REPLAY, { c: OTHER, s: before }, asOther))).toEqual(['NOT_FOUND']);
    expect((await registry.gql(REPLAY, { c: SUBSCRIBER, s: before }, asSubscriber)).errors).toBeUndefined();
    expect(await pull(SUBSCRIBER, 2)).toEqual(['deliver-1', 'deliver-2']);
    // Deny by default: a client never granted has no consumer and no copies.
    expect(await consumerExists(OTHER)).toBe(false);
    const jsm = await jetstreamManager(registry.client);
    const others = await jsm.streams.info(names().deliveryStream, { subjects_filter: names().deliveriesOf(OTHER) });
    expect(others.state.subjects ?? {}).toEqual({});

    // An event accepted but not yet pulled when the grant goes is not delivered either.
    expect(await publish('deliver-3')).toMatchObject({ accepted: true });
    await eventually(async () => {
      const info = await jsm.streams.info(names().deliveryStream, { subjects_filter: names().deliveriesOf(SUBSCRIBER) });
      return Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0) === 3 || undefined;
    }, 'the third copy for the subscriber');
    const revoked = await registry.gql(REVOKE, { a: 'KAB-BANYUWANGI', t: 'pegawai.mutasi', c: SUBSCRIBER }, BANYUWANGI_ADMIN);
    expect(revoked.data.revokeEventAccess).toBe(true);
    expect(await consumerExists(SUBSCRIBER)).toBe(false);
    const after = await jsm.streams.info(names().deliveryStream, { subjects_filter: names().deliveriesOf(SUBSCRIBER) });
    expect(after.state.subjects ?? {}).toEqual({});
    expect(await publish('deliver-4')).toMatchObject({ accepted: true });
    const info = await jsm.streams.info(names().deliveryStream, { subjects_filter: names().deliveriesOf(SUBSCRIBER) });
    expect(info.state.subjects ?? {}).toEqual({});
  });
});

describe('letters sent through Simpul to an agency', () => {
  const EOFFICE = 'sc_eeeeeeeeeeeeeeeeeeeeeeee';
  const names = () => agencyEventSubjects(registry.service.subjects);

  it("reach the e-office system the receiving agency subscribed, and no other agency's", async () => {
    // Surabaya's administrator subscribes its own e-office system; Jateng subscribes nobody.
    await registry.gql(GRANT, { a: 'KOTA-SURABAYA', t: 'surat.masuk', c: EOFFICE }, SURABAYA_ADMIN);
    const documentId = '6f1c2a52-6c0e-4f7e-9a55-0b8f3d1e2a01';
    const sent = createEvent(registry.service.subjects, DocumentSent, {
      id: documentId,
      agencyCode: 'KAB-BANYUWANGI',
      number: '005/17/429.011/2026',
      securityClass: 'BIASA',
      sentAt: '2026-12-03T08:00:00.000Z',
      recipients: [
        { kind: 'AGENCY', agencyCode: 'KOTA-SURABAYA', unitCode: null, nip: null },
        { kind: 'AGENCY', agencyCode: 'PROV-JATENG', unitCode: null, nip: null },
        { kind: 'UNIT', agencyCode: 'KAB-BANYUWANGI', unitCode: 'BKPSDM', nip: null },
      ],
    });
    await publishEvent(jetstream(registry.client), sent);
    await publishEvent(jetstream(registry.client), sent); // a redelivery is the same letter

    const consumer = await jetstream(registry.client).consumers.get(names().deliveryStream, names().deliveryConsumer(EOFFICE));
    const got = await consumer.next({ expires: 20_000 });
    expect(got?.json<AgencyEvent>()).toMatchObject({
      id: `surat-${documentId}`,
      type: 'surat.masuk',
      agencyCode: 'KOTA-SURABAYA',
      data: { documentId, number: '005/17/429.011/2026', fromAgencyCode: 'KAB-BANYUWANGI', recipients: [{ kind: 'AGENCY', unitCode: null, nip: null }] },
    });
    got!.ack();
    expect(await consumer.next({ expires: 2_000 })).toBeNull();
    // One letter per receiving agency (the redelivery was a duplicate), none for the sender's own units;
    // Jateng's is on the stream but copied to nobody: it granted no client.
    const jsm = await jetstreamManager(registry.client);
    const letters = await jsm.streams.info(names().acceptedStream, { subjects_filter: `${registry.service.subjects.namespace}.agency.*.v1.surat.masuk` });
    expect(letters.state.subjects).toEqual({
      [names().accepted('KOTA-SURABAYA', 1, 'surat.masuk')]: 1,
      [names().accepted('PROV-JATENG', 1, 'surat.masuk')]: 1,
    });
    const copies = await jsm.streams.info(names().deliveryStream, { subjects_filter: `${registry.service.subjects.namespace}.deliver.*.PROV-JATENG.>` });
    expect(copies.state.subjects ?? {}).toEqual({});
  });

  it('are published by Simpul only: an agency system cannot forge one', async () => {
    const client: TestUser = { username: 'sc_ffffffffffffffffffffffff', agencyCode: 'KOTA-SURABAYA', roles: ['API_CLIENT'], kind: 'client' };
    const reply = await registry.client.request(
      names().ingest,
      encodeJson({ token: await registry.tokenFor(client), eventType: 'surat.masuk', body: JSON.stringify({ id: 'palsu-1', data: {} }) }),
      { timeout: 20_000 },
    );
    expect(decodeJson(reply.data)).toMatchObject({ accepted: false, code: 'FORBIDDEN', reason: expect.stringMatching(/published by Simpul itself/) });
  });
});
