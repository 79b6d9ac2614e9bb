import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { encodeJson, listDeadLetters, replayDeadLetter, type DeadLetter } from '@simpul/bus';
import {
  agencyEventSubjects,
  SimpegAppointment,
  SimpegTransfer,
  VERDICT_REPLY_HEADER,
  type AgencyEvent,
  type PlatformAgencyEventType,
} from '@simpul/contracts';
import { eventually } from '@simpul/testing';
import { CALLERS, startTestPersonnel, type TestPersonnel } from './support/personnel.ts';

/**
 * Personnel's consumers of accepted SIMPEG events, on a real stream (made here as the
 * registry's gate would): a refusal by the rules is reported to the publisher, and what
 * cannot be applied is parked as a dead letter an operator can replay, never dropped.
 */
let personnel: TestPersonnel;
const names = () => agencyEventSubjects(personnel.service.subjects);

beforeAll(async () => {
  personnel = await startTestPersonnel();
  const jsm = await jetstreamManager(personnel.client);
  await jsm.streams.add({ name: names().acceptedStream, subjects: [names().allAccepted] });
}, 120_000);
afterAll(async () => {
  if (personnel) {
    const jsm = await jetstreamManager(personnel.client);
    await jsm.streams.delete(names().acceptedStream).catch(() => false);
    await jsm.streams.delete(personnel.service.subjects.deadLetterStream).catch(() => false);
    await personnel.close();
  }
});

const appointment = (nip: string, agencyCode = 'KAB-BANYUWANGI') => ({
  nip,
  name: 'Dewi Kartika Sari',
  agencyCode,
  unitCode: 'BKPSDM',
  rank: 'III/a',
  positionName: 'Analis Sumber Daya Manusia Aparatur Ahli Pertama',
  positionType: 'AHLI_PERTAMA',
});

/** Stores an event on the accepted stream as the registry's gate does after validation. */
async function accepted(type: PlatformAgencyEventType, publisher: string, id: string, data: unknown, replyTo?: string): Promise<void> {
  const event: AgencyEvent = {
    id,
    type: type.name,
    version: type.version,
    agencyCode: publisher,
    publisher: null,
    occurredAt: '2026-11-29T03:00:00Z',
    receivedAt: '2026-11-29T03:00:00Z',
    channel: 'NATS',
    data: data as Record<string, unknown>,
  };
  const h = natsHeaders();
  if (replyTo) h.set(VERDICT_REPLY_HEADER, replyTo);
  await jetstream(personnel.client).publish(names().accepted(publisher, type.version, type.name), encodeJson(event), { headers: h });
}

async function refusalReports() {
  const rows = await personnel.service.prisma.outboxEvent.findMany({ where: { type: 'personnel.agency-event.refused' } });
  return rows.map((r) => (r.payload as { data: Record<string, unknown> }).data);
}

async function deadLetter(consumer: string, eventId: string): Promise<DeadLetter> {
  return eventually(
    async () => {
      const letters = await listDeadLetters(personnel.client, personnel.service.subjects, { consumer });
      return letters.find((l) => l.eventId === eventId);
    },
    `the dead letter of ${eventId}`,
    90_000,
  );
}

async function employee(nip: string) {
  const res = await personnel.gql('query ($n: String!) { employee(nip: $n) { nip agencyCode unitCode } }', { n: nip }, CALLERS.national);
  expect(res.errors).toBeUndefined();
  return res.data.employee as { nip: string; agencyCode: string; unitCode: string | null } | null;
}

describe('SIMPEG events personnel refuses by its rules', () => {
  it('are reported to the publisher (agency-event.refused, with its reply subject), not only audited', async () => {
    const inbox = '_INBOX.test.ext.KOTA-SURABAYA.verdict-1';
    // Surabaya's SIMPEG appointing into Banyuwangi: valid against the schema, outside its authority.
    await accepted(SimpegAppointment, 'KOTA-SURABAYA', 'sk-luar-0001', appointment('199001152015031001'), inbox);
    const report = await eventually(async () => (await refusalReports()).find((r) => r.eventId === 'sk-luar-0001'), 'the refusal report', 90_000);
    expect(report).toMatchObject({
      agencyCode: 'KOTA-SURABAYA',
      eventType: 'simpeg.pengangkatan',
      version: 1,
      channel: 'NATS',
      code: 'FORBIDDEN',
      replyTo: inbox,
    });
    expect(report.reason).toMatch(/HR_OFFICER of the agency/);
    expect(report.excerpt).toContain('199001152015031001');
    expect(await employee('199001152015031001')).toBeNull();
    // Final: reported, and not parked.
    const parked = await listDeadLetters(personnel.client, personnel.service.subjects, { consumer: 'personnel-simpeg-appointment' });
    expect(parked.map((l) => l.eventId)).not.toContain('sk-luar-0001');
  });
});

describe('SIMPEG events personnel cannot apply', () => {
  it('parks a transfer of an employee not known yet as a dead letter (and reports it); replayed after the appointment, it applies', async () => {
    const NIP = '199203142019032004';
    await accepted(SimpegTransfer, 'KAB-BANYUWANGI', 'mutasi-dini-0001', { nip: NIP, toUnitCode: 'DISKOMINFO' });
    const letter = await deadLetter('personnel-simpeg-transfer', 'mutasi-dini-0001');
    expect(letter.reason).toMatch(/^NOT_FOUND: /);
    expect(letter.subject).toBe(names().accepted('KAB-BANYUWANGI', 1, 'simpeg.mutasi'));
    const report = await eventually(async () => (await refusalReports()).find((r) => r.eventId === 'mutasi-dini-0001'), 'the NOT_FOUND report', 90_000);
    expect(report.code).toBe('NOT_FOUND');

    await accepted(SimpegAppointment, 'KAB-BANYUWANGI', 'sk-0001', appointment(NIP));
    await eventually(async () => (await employee(NIP)) ?? undefined, 'the appointment', 90_000);
    await replayDeadLetter(personnel.client, personnel.service.subjects, letter.seq);
    const moved = await eventually(
      async () => {
        const e = await employee(NIP);
        return e?.unitCode === 'DISKOMINFO' ? e : undefined;
      },
      'the replayed transfer',
      90_000,
    );
    expect(moved).toEqual({ nip: NIP, agencyCode: 'KAB-BANYUWANGI', unitCode: 'DISKOMINFO' });
  });

  it('parks an event whose data is unusable, or that is no agency event at all, at once', async () => {
    await accepted(SimpegAppointment, 'KAB-BANYUWANGI', 'sk-rusak-0001', { nip: '199001152015031001' });
    const unusable = await deadLetter('personnel-simpeg-appointment', 'sk-rusak-0001');
    expect(unusable.reason).toMatch(/^data unusable as simpeg\.pengangkatan@1: name: /);
    expect(unusable.deliveries).toBe(1);

    await jetstream(personnel.client).publish(names().accepted('KAB-BANYUWANGI', 1, 'simpeg.pengangkatan'), new TextEncoder().encode('not json'));
    const malformed = await eventually(
      async () => {
        const letters = await listDeadLetters(personnel.client, personnel.service.subjects, { consumer: 'personnel-simpeg-appointment' });
        return letters.find((l) => l.payload === 'not json');
      },
      'the malformed event parked',
      90_000,
    );
    expect(malformed.reason).toMatch(/^not an agency event/);
  });
});
