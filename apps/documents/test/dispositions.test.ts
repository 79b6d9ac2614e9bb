import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream } from '@nats-io/jetstream';
import { createEvent, publishEvent } from '@simpul/bus';
import { AgencyCreated, EmployeeAppointed, EmployeeTransferred } from '@simpul/contracts';
import { createCast, draft, sentLetter, type Cast } from './support/letters.ts';
import { errorCodes, startTestDocuments, testNip, type TestDocuments } from './support/documents.ts';

let t: TestDocuments;
let cast: Cast;
let clock = new Date('2026-11-29T03:00:00Z');
const DAY = 86_400_000;

beforeAll(async () => {
  t = await startTestDocuments({}, { now: () => clock });
  cast = await createCast(t);
});
afterAll(async () => {
  await t?.close();
});

const INBOX = `{ inbox(first: 50) { totalCount edges { node { kind id overdue dueDate read document { id subject } disposition { id instruction } } } } }`;
const DISPOSE = `mutation ($id: ID!, $input: DispositionInput!) { dispositionDocument(documentId: $id, input: $input) { id status dueDate to { nip } parentId } }`;

async function inbox(token: string) {
  const result = await t.gql(INBOX, {}, token);
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.inbox as {
    totalCount: number;
    edges: { node: { kind: string; id: string; overdue: boolean; dueDate: string | null; document: { id: string } } }[];
  };
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting: ${what}`);
}

describe('incoming mail', () => {
  it('lands in the inbox of an employee, of a unit, and of the agency mail room, across agencies', async () => {
    const id = await sentLetter(t, cast, {
      recipients: [
        { kind: 'EMPLOYEE', nip: cast.stranger.nip },
        { kind: 'UNIT', agencyCode: 'KOMINFO', unitCode: 'DIT.LAIP' },
        { kind: 'AGENCY', agencyCode: 'KOMINFO' },
      ],
    });
    for (const who of ['stranger', 'otherHead', 'otherStaff', 'otherRecords'] as const) {
      const items = (await inbox(cast.tokens[who])).edges.filter((e) => e.node.document.id === id);
      expect(items.length, who).toBeGreaterThan(0);
      expect(items[0]!.node.kind).toBe('RECEIVED');
    }
    // Not addressed to them: the author's colleague, and a records officer of another agency.
    for (const who of ['colleague', 'records'] as const) {
      expect(
        (await inbox(cast.tokens[who])).edges.some((e) => e.node.document.id === id),
        who,
      ).toBe(false);
    }
    const done = await t.gql(`mutation ($id: ID!) { markDocumentReceived(id: $id, done: true) { id } }`, { id }, cast.tokens.stranger);
    expect(done.errors).toBeUndefined();
    expect((await inbox(cast.tokens.stranger)).edges.some((e) => e.node.document.id === id)).toBe(false);
    const notMine = await t.gql(`mutation ($id: ID!) { markDocumentReceived(id: $id) { id } }`, { id }, cast.tokens.author);
    expect(errorCodes(notMine)).toEqual(['FORBIDDEN']);
  });
});

describe('dispositions', () => {
  it('go down the line, are completed, and the inbox shows what is overdue first', async () => {
    const id = await sentLetter(t, cast, { recipients: [{ kind: 'EMPLOYEE', nip: cast.otherHead.nip }] });
    const inTwoDays = new Date(clock.getTime() + 2 * DAY).toISOString().slice(0, 10);
    const inTenDays = new Date(clock.getTime() + 10 * DAY).toISOString().slice(0, 10);
    const first = await t.gql(
      DISPOSE,
      { id, input: { toNips: [cast.otherStaff.nip], instruction: 'Siapkan bahan', dueDate: inTenDays } },
      cast.tokens.otherHead,
    );
    expect(first.errors).toBeUndefined();
    const [toStaff] = first.data.dispositionDocument;
    expect(toStaff).toMatchObject({ status: 'OPEN', dueDate: inTenDays, to: { nip: cast.otherStaff.nip }, parentId: null });
    // Dispositioned: it left the head's inbox.
    expect((await inbox(cast.tokens.otherHead)).edges.some((e) => e.node.document.id === id)).toBe(false);

    const second = await sentLetter(t, cast, { recipients: [{ kind: 'EMPLOYEE', nip: cast.otherHead.nip }] });
    const urgent = await t.gql(
      DISPOSE,
      { id: second, input: { toNips: [cast.otherStaff.nip], instruction: 'Segera', dueDate: inTwoDays } },
      cast.tokens.otherHead,
    );
    expect(urgent.errors).toBeUndefined();

    // Five days later the second one is overdue and comes first.
    clock = new Date(clock.getTime() + 5 * DAY);
    const waiting = await inbox(cast.tokens.otherStaff);
    const dispositions = waiting.edges.filter((e) => e.node.kind === 'DISPOSITION');
    expect(dispositions.map((e) => [e.node.document.id, e.node.overdue])).toEqual([
      [second, true],
      [id, false],
    ]);
    expect(waiting.edges[0]!.node.document.id).toBe(second);

    // The staff member forwards further down; their own disposition is then FORWARDED.
    const forward = await t.gql(
      DISPOSE,
      { id, input: { toNips: [cast.otherStaff2.nip], instruction: 'Kerjakan', parentId: toStaff.id } },
      cast.tokens.otherStaff,
    );
    expect(forward.errors).toBeUndefined();
    const [toStaff2] = forward.data.dispositionDocument;
    expect(toStaff2.parentId).toBe(toStaff.id);
    const notHolder = await t.gql(DISPOSE, { id, input: { toNips: [cast.otherStaff2.nip], instruction: 'x', parentId: toStaff.id } }, cast.tokens.otherHead);
    expect(errorCodes(notHolder)).toEqual(['FORBIDDEN']);

    const completed = await t.gql(
      `mutation ($id: ID!) { completeDisposition(id: $id, note: "Selesai") { status note closedAt } }`,
      { id: toStaff2.id },
      cast.tokens.otherStaff2,
    );
    expect(completed.data.completeDisposition).toMatchObject({ status: 'COMPLETED', note: 'Selesai' });
    const again = await t.gql(`mutation ($id: ID!) { completeDisposition(id: $id) { status } }`, { id: toStaff2.id }, cast.tokens.otherStaff2);
    expect(errorCodes(again)).toEqual(['CONFLICT']);

    const doc = await t.gql(`query ($id: ID!) { document(id: $id) { dispositions { to { nip } status } } }`, { id }, cast.tokens.otherStaff2);
    expect(doc.data.document.dispositions).toEqual([
      { to: { nip: cast.otherStaff.nip }, status: 'FORWARDED' },
      { to: { nip: cast.otherStaff2.nip }, status: 'COMPLETED' },
    ]);
  });

  it('only a sent letter is dispositioned, also after its sender archived it', async () => {
    const signedOnly = await sentLetter(t, cast, { recipients: [{ kind: 'EMPLOYEE', nip: cast.otherHead.nip }] });
    await t.gql(`mutation ($id: ID!) { archiveDocument(id: $id) { status } }`, { id: signedOnly }, cast.tokens.author);
    const afterArchive = await t.gql(
      DISPOSE,
      { id: signedOnly, input: { toNips: [cast.otherStaff.nip], instruction: 'Arsipkan juga' } },
      cast.tokens.otherHead,
    );
    expect(afterArchive.errors).toBeUndefined();
    const draftId = await draft(t, cast, { recipients: [{ kind: 'EMPLOYEE', nip: cast.otherHead.nip }] });
    const early = await t.gql(DISPOSE, { id: draftId, input: { toNips: [cast.colleague.nip], instruction: 'x' } }, cast.tokens.author);
    expect(errorCodes(early)).toEqual(['CONFLICT']);
  });

  it('can be withdrawn while unread, not after', async () => {
    const id = await sentLetter(t, cast, { recipients: [{ kind: 'EMPLOYEE', nip: cast.otherHead.nip }] });
    const made = await t.gql(DISPOSE, { id, input: { toNips: [cast.otherStaff.nip, cast.otherStaff2.nip], instruction: 'Hadiri' } }, cast.tokens.otherHead);
    const [a, b] = made.data.dispositionDocument;
    const notSender = await t.gql(`mutation ($id: ID!) { withdrawDisposition(id: $id) { status } }`, { id: a.id }, cast.tokens.otherStaff);
    expect(errorCodes(notSender)).toEqual(['FORBIDDEN']);
    const withdrawn = await t.gql(`mutation ($id: ID!) { withdrawDisposition(id: $id) { status } }`, { id: a.id }, cast.tokens.otherHead);
    expect(withdrawn.data.withdrawDisposition.status).toBe('WITHDRAWN');
    expect((await inbox(cast.tokens.otherStaff)).edges.some((e) => e.node.id === a.id)).toBe(false);

    await t.gql(`mutation ($id: ID!) { readDisposition(id: $id) { readAt } }`, { id: b.id }, cast.tokens.otherStaff2);
    const late = await t.gql(`mutation ($id: ID!) { withdrawDisposition(id: $id) { status } }`, { id: b.id }, cast.tokens.otherHead);
    expect(errorCodes(late)).toEqual(['CONFLICT']);
    expect(late.errors?.[0]?.message).toContain('has been read');
  });

  it('refuses bad dispositions with the field named', async () => {
    const id = await sentLetter(t, cast, { recipients: [{ kind: 'EMPLOYEE', nip: cast.otherHead.nip }] });
    const yesterday = new Date(clock.getTime() - DAY).toISOString().slice(0, 10);
    const cases: [Record<string, unknown>, string][] = [
      [{ toNips: [cast.author.nip], instruction: 'x' }, 'toNips'], // another agency
      [{ toNips: [cast.otherHead.nip], instruction: 'x' }, 'toNips'], // themselves
      [{ toNips: [cast.otherStaff.nip], instruction: '  ' }, 'instruction'],
      [{ toNips: [cast.otherStaff.nip], instruction: 'x', dueDate: yesterday }, 'dueDate'],
      [{ toNips: [cast.otherStaff.nip], instruction: 'x', dueDate: '29-11-2026' }, 'dueDate'],
    ];
    for (const [input, field] of cases) {
      const result = await t.gql(DISPOSE, { id, input }, cast.tokens.otherHead);
      expect(result.errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    // An ordinary signed letter is readable by anyone logged in, but only a recipient dispositions it.
    const notRecipient = await t.gql(DISPOSE, { id, input: { toNips: [cast.otherStaff2.nip], instruction: 'x' } }, cast.tokens.stranger);
    expect(errorCodes(notRecipient)).toEqual(['FORBIDDEN']);
  });
});

describe('personnel events', () => {
  it('a transfer hands the open dispositions back to whoever sent them', async () => {
    const js = jetstream(t.client);
    const moving = { nip: testNip(), name: 'Dimas Pindah', agencyCode: 'KOMINFO', unitCode: 'DIT.LAIP' };
    const appointed = createEvent(t.service.subjects, EmployeeAppointed, {
      ...moving,
      sex: 'MALE',
      birthDate: '1990-01-01',
      asnStatus: 'PNS',
      rank: 'III/a',
      positionName: 'Pranata Komputer Ahli Pertama',
      positionType: 'AHLI_PERTAMA',
      effectiveDate: '2020-01-01',
      decreeNumber: 'SK-1',
      recordedBy: 'test',
    } as never);
    await publishEvent(js, appointed);
    await until(async () => (await t.service.stores.employees.find(moving.nip)) !== null, 'appointment applied');

    const id = await sentLetter(t, cast, { recipients: [{ kind: 'EMPLOYEE', nip: cast.otherHead.nip }] });
    const made = await t.gql(DISPOSE, { id, input: { toNips: [cast.otherStaff.nip], instruction: 'Tindak lanjuti' } }, cast.tokens.otherHead);
    const [top] = made.data.dispositionDocument;
    const forwarded = await t.gql(DISPOSE, { id, input: { toNips: [moving.nip], instruction: 'Kerjakan', parentId: top.id } }, cast.tokens.otherStaff);
    expect(forwarded.errors).toBeUndefined();
    const [down] = forwarded.data.dispositionDocument;

    const transfer = createEvent(t.service.subjects, EmployeeTransferred, {
      nip: moving.nip,
      fromAgencyCode: 'KOMINFO',
      fromUnitCode: 'DIT.LAIP',
      toAgencyCode: 'BKN',
      toUnitCode: 'DEP.MUTASI',
      effectiveDate: '2026-12-01',
      decreeNumber: 'MUTASI-1',
      recordedBy: 'test',
    });
    await publishEvent(js, transfer);
    // A redelivered event changes nothing.
    await publishEvent(js, { ...transfer, id: transfer.id });
    await until(async () => (await t.service.prisma.disposition.findUnique({ where: { id: down.id } }))?.status === 'RETURNED', 'disposition returned');

    const employee = await t.service.stores.employees.find(moving.nip);
    expect(employee).toMatchObject({ agencyCode: 'BKN', unitCode: 'DEP.MUTASI' });
    // The sender holds their own disposition again, so it is back in their inbox.
    const back = (await inbox(cast.tokens.otherStaff)).edges.filter((e) => e.node.id === top.id);
    expect(back).toHaveLength(1);
    const trail = await t.gql(`query ($id: ID!) { documentAuditTrail(id: $id) { intact entries { action actor } } }`, { id }, cast.tokens.author);
    expect(trail.data.documentAuditTrail.intact).toBe(true);
    expect(trail.data.documentAuditTrail.entries.filter((e: { action: string }) => e.action === 'disposition-returned')).toEqual([
      { action: 'disposition-returned', actor: 'personnel' },
    ]);
  });
});

describe('personnel events out of order', () => {
  it('a transfer that arrives before the appointment waits for it', async () => {
    const js = jetstream(t.client);
    const nip = testNip();
    await publishEvent(
      js,
      createEvent(t.service.subjects, EmployeeTransferred, {
        nip,
        fromAgencyCode: 'BKN',
        fromUnitCode: null,
        toAgencyCode: 'KOMINFO',
        toUnitCode: 'ITJEN',
        effectiveDate: '2026-01-01',
        decreeNumber: 'M-2',
        recordedBy: 'test',
      }),
    );
    await publishEvent(
      js,
      createEvent(t.service.subjects, EmployeeAppointed, {
        nip,
        name: 'Sri Urutan',
        sex: 'FEMALE',
        birthDate: '1990-01-01',
        asnStatus: 'PNS',
        agencyCode: 'BKN',
        unitCode: null,
        rank: 'III/a',
        positionName: 'Analis',
        positionType: 'AHLI_PERTAMA',
        effectiveDate: '2015-01-01',
        decreeNumber: 'SK-2',
        recordedBy: 'test',
      } as never),
    );
    await until(async () => (await t.service.stores.employees.find(nip))?.agencyCode === 'KOMINFO', 'transfer applied after the appointment');
    expect(await t.service.stores.employees.find(nip)).toMatchObject({ agencyCode: 'KOMINFO', unitCode: 'ITJEN', name: 'Sri Urutan' });
  });
});

describe('identity events', () => {
  it('a letter can be addressed to an agency once identity has announced it, and not before', async () => {
    const input = (agencyCode: string) => ({
      type: 'SURAT_DINAS',
      subject: 'Undangan',
      classificationCode: '000.1.2',
      securityClass: 'BIASA',
      signerNip: cast.signer.nip,
      recipients: [{ kind: 'AGENCY', agencyCode }],
    });
    const CREATE = 'mutation ($input: CreateDocumentInput!) { createDocument(input: $input) { id } }';
    const unknown = await t.gql(CREATE, { input: input('KAB-BARU') }, cast.tokens.author);
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'recipients[0].agencyCode' });
    await publishEvent(
      jetstream(t.client),
      createEvent(t.service.subjects, AgencyCreated, { code: 'KAB-BARU', name: 'Kabupaten Baru', kind: 'REGENCY', parentCode: null }),
    );
    await until(async () => (await t.service.stores.agencies.known(['KAB-BARU'])).size === 1, 'agency learnt');
    const known = await t.gql(CREATE, { input: input('KAB-BARU') }, cast.tokens.author);
    expect(known.errors).toBeUndefined();
  });
});
