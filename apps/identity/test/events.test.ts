import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeEvents, decodeJson, type EventConsumer } from '@simpul/bus';
import { AgencyCreated, AgencyUpdated, type EventData, type EventEnvelope } from '@simpul/contracts';
import { createLogger } from '@simpul/kit';
import { startTestIdentity, type TestIdentity } from './support/identity.ts';
import { errorCodes } from '@simpul/testing';

let identity: TestIdentity;
let adminToken: string;
const received: { data: EventData<typeof AgencyCreated>; envelope: EventEnvelope }[] = [];
const consumers: EventConsumer[] = [];

beforeAll(async () => {
  identity = await startTestIdentity();
  adminToken = await identity.login('admin');
  for (const definition of [AgencyCreated, AgencyUpdated]) {
    consumers.push(
      await consumeEvents({
        nc: identity.client,
        subjects: identity.service.subjects,
        durable: `test-${definition.verb}`,
        definition,
        logger: createLogger('events-test', 'silent'),
        handle: async (data, envelope) => void received.push({ data, envelope }),
      }),
    );
  }
});
afterAll(async () => {
  for (const consumer of consumers) await consumer.stop();
  await identity?.close();
});

async function eventually<T>(read: () => T | undefined | Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const eventsFor = (type: string, code: string) => received.filter((e) => e.envelope.type === type && e.data.code === code);

async function streamMessages(): Promise<number> {
  const reply = await identity.client.request(`$JS.API.STREAM.INFO.${identity.service.subjects.eventStream}`, undefined, { timeout: 5_000 });
  return (decodeJson(reply.data) as { state: { messages: number } }).state.messages;
}

const CREATE = `mutation ($input: CreateAgencyInput!) { createAgency(input: $input) { code name kind parent { code } } }`;

describe('agency events', () => {
  it('createAgency writes an outbox row with the change and the relay publishes it exactly once', async () => {
    const input = { code: 'KAB-SLEMAN', name: 'Kabupaten Sleman', kind: 'REGENCY', parentCode: 'PROV-DIY' };
    const result = await identity.gql(CREATE, { input }, adminToken);
    expect(result.data).toEqual({ createAgency: { code: 'KAB-SLEMAN', name: 'Kabupaten Sleman', kind: 'REGENCY', parent: { code: 'PROV-DIY' } } });

    const rows = await identity.service.prisma.outboxEvent.findMany({
      where: { type: 'identity.agency.created', payload: { path: ['data', 'code'], equals: 'KAB-SLEMAN' } },
    });
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row!.subject).toBe(`${identity.service.subjects.namespace}.evt.identity.agency.created`);
    expect((row!.payload as unknown as EventEnvelope).data).toEqual({ code: 'KAB-SLEMAN', name: 'Kabupaten Sleman', kind: 'REGENCY', parentCode: 'PROV-DIY' });

    const [event] = await eventually(() => {
      const found = eventsFor('identity.agency.created', 'KAB-SLEMAN');
      return found.length ? found : undefined;
    });
    expect(event!.envelope).toMatchObject({ id: row!.id, type: 'identity.agency.created', version: 1, source: 'identity' });
    expect(event!.data).toEqual({ code: 'KAB-SLEMAN', name: 'Kabupaten Sleman', kind: 'REGENCY', parentCode: 'PROV-DIY' });
    const published = () => identity.service.prisma.outboxEvent.findUnique({ where: { id: row!.id } }).then((r) => r?.publishedAt ?? undefined);
    await eventually(published);

    // A relay that crashed after publishing but before marking the row publishes it again:
    // the stream drops the copy because the message id is the event id.
    const before = await streamMessages();
    await identity.service.prisma.outboxEvent.update({ where: { id: row!.id }, data: { publishedAt: null } });
    await identity.service.relay.flush();
    expect((await identity.service.prisma.outboxEvent.findUnique({ where: { id: row!.id } }))?.publishedAt).not.toBeNull();
    expect(await streamMessages()).toBe(before);
    await new Promise((r) => setTimeout(r, 300));
    expect(eventsFor('identity.agency.created', 'KAB-SLEMAN')).toHaveLength(1);
  });

  it('updateAgency publishes identity.agency.updated with the agency as committed', async () => {
    const result = await identity.gql(
      'mutation { updateAgency(code: "KOTA-SURABAYA", input: { name: "Pemerintah Kota Surabaya" }) { code name kind parent { code } } }',
      {},
      adminToken,
    );
    expect(result.data.updateAgency).toEqual({ code: 'KOTA-SURABAYA', name: 'Pemerintah Kota Surabaya', kind: 'CITY', parent: { code: 'PROV-JATIM' } });
    const [event] = await eventually(() => {
      const found = eventsFor('identity.agency.updated', 'KOTA-SURABAYA');
      return found.length ? found : undefined;
    });
    expect(event!.data).toEqual({ code: 'KOTA-SURABAYA', name: 'Pemerintah Kota Surabaya', kind: 'CITY', parentCode: 'PROV-JATIM' });
  });

  it('a refused change writes no event', async () => {
    const before = await identity.service.prisma.outboxEvent.count();
    const duplicate = await identity.gql(CREATE, { input: { code: 'BKN', name: 'Badan Lain', kind: 'AGENCY' } }, adminToken);
    expect(errorCodes(duplicate)).toEqual(['CONFLICT']);
    const noChange = await identity.gql('mutation { updateAgency(code: "BKN", input: { name: "Badan Kepegawaian Negara" }) { name } }', {}, adminToken);
    expect(noChange.data).toEqual({ updateAgency: { name: 'Badan Kepegawaian Negara' } });
    const missing = await identity.gql('mutation { updateAgency(code: "NOPE", input: { name: "X" }) { name } }', {}, adminToken);
    expect(errorCodes(missing)).toEqual(['NOT_FOUND']);
    expect(await identity.service.prisma.outboxEvent.count()).toBe(before);
  });

  it('the demo agencies were announced too', async () => {
    await eventually(() => (eventsFor('identity.agency.created', 'KOTA-YOGYAKARTA').length ? true : undefined));
    const codes = new Set(received.filter((e) => e.envelope.type === 'identity.agency.created').map((e) => e.data.code));
    for (const code of ['KEMENPANRB', 'KOMINFO', 'SETNEG', 'BKN', 'PROV-JATENG', 'KAB-BANYUWANGI', 'KAB-BOJONEGORO', 'KOTA-SURABAYA', 'KOTA-YOGYAKARTA']) {
      expect([code, codes.has(code)]).toEqual([code, true]);
    }
  });
});
