import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openSubscription, postGraphQL, type GraphQLResponse, type OpenSubscription } from '@simpul/testing';
import { appointPeople } from './people.ts';
import { startPlatform, type Platform } from './platform.ts';

// Subscriptions through the real gateway over Server-Sent Events, fed by documents'
// events on JetStream, with the readers of the documents leak matrix: the people on a
// secret letter get its events, the people around it (same unit, same agency, the mail
// room, the national administrator) get none.
let platform: Platform;
let admin: string;
const open: OpenSubscription<unknown>[] = [];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- results are read ad hoc
async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse<T>> {
  return (await postGraphQL<T>(platform.url, query, variables, token)).body;
}

async function subscribe(
  query: string,
  token: string,
  options: { variables?: Record<string, unknown>; lastEventId?: string } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- events are read ad hoc
): Promise<OpenSubscription<any>> {
  const subscription = await openSubscription(platform.url, query, { ...options, token });
  open.push(subscription);
  return subscription;
}

// NIPs whose digits agree with birth date, appointment month (TMT) and sex.
const PEOPLE = {
  author: { nip: '198501012010011001', name: 'Rina Penulis', agencyCode: 'E2E-SETDA', unitCode: 'TU' },
  signer: { nip: '197503032000011003', name: 'Bambang Kepala', agencyCode: 'E2E-SETDA', unitCode: 'PIMPINAN' },
  colleague: { nip: '198606062011011006', name: 'Dedi Sejawat', agencyCode: 'E2E-SETDA', unitCode: 'TU' },
  head: { nip: '197804042003011004', name: 'Siti Kadis', agencyCode: 'E2E-KOMINFO', unitCode: 'PIMPINAN' },
  peer: { nip: '198707072012012007', name: 'Wati Rekan', agencyCode: 'E2E-KOMINFO', unitCode: 'PIMPINAN' },
  staff: { nip: '199005052015011005', name: 'Budi Staf', agencyCode: 'E2E-KOMINFO', unitCode: 'TU' },
} as const;
type Reader = keyof typeof PEOPLE | 'clerk' | 'admin';
const tokens = {} as Record<Reader, string>;

const INBOX = 'subscription { inboxChanged { kind documentId dispositionId document { id subject securityClass } } }';
const DOCUMENT = 'subscription ($id: ID!) { documentChanged(id: $id) { id status subject } }';

beforeAll(async () => {
  platform = await startPlatform({}, { services: ['identity', 'personnel', 'documents'] });
  admin = (await gql('mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', { u: 'admin', p: platform.adminPassword })).data
    .login.token;
  tokens.admin = admin;
  Object.assign(
    tokens,
    await appointPeople(
      platform,
      admin,
      [
        ['E2E-SETDA', 'Sekretariat Daerah Uji'],
        ['E2E-KOMINFO', 'Dinas Kominfo Uji'],
      ],
      PEOPLE,
    ),
  );
  const clerk = await gql(
    'mutation ($i: CreateUserInput!) { createUser(input: $i) { username } }',
    {
      i: {
        username: 'arsip.kominfo',
        displayName: 'Arsiparis Kominfo',
        agencyCode: 'E2E-KOMINFO',
        unitCode: 'TU',
        roles: ['RECORDS_OFFICER'],
        password: 'password of the clerk 2026',
      },
    },
    admin,
  );
  expect(clerk.errors).toBeUndefined();
  tokens.clerk = (await gql('mutation { login(username: "arsip.kominfo", password: "password of the clerk 2026") { token } }')).data.login.token;
}, 300_000);

afterAll(async () => {
  for (const subscription of open) subscription.close();
  await platform?.stop();
});

/** Writes, signs and sends a letter from the author; returns its id. */
async function sendLetter(
  input: { subject: string; securityClass: string; recipients: unknown[] },
  onCreated?: (id: string) => Promise<void>,
): Promise<string> {
  const created = await eventually(
    async () => {
      const result = await gql(
        'mutation ($input: CreateDocumentInput!) { createDocument(input: $input) { id } }',
        {
          input: { type: 'SURAT_DINAS', body: 'Dengan hormat.', classificationCode: '500.12.1', signerNip: PEOPLE.signer.nip, ...input },
        },
        tokens.author,
      );
      // documents learns employees from personnel's events: BAD_USER_INPUT until it knows them.
      return result.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT' ? undefined : result;
    },
    'documents to learn the employees',
    120_000,
  );
  expect(created.errors).toBeUndefined();
  const id = created.data.createDocument.id as string;
  await onCreated?.(id);
  for (const [mutation, token] of [
    ['submitDocument', tokens.author],
    ['signDocument', tokens.signer],
    ['sendDocument', tokens.author],
  ] as const) {
    const moved = await gql(`mutation ($id: ID!) { ${mutation}(id: $id) { status } }`, { id }, token);
    expect(moved.errors, mutation).toBeUndefined();
  }
  return id;
}

const kinds = (s: OpenSubscription<{ inboxChanged: { kind: string; documentId: string } }>) =>
  s.events.map((e) => `${e.result.data?.inboxChanged.kind}:${e.result.data?.inboxChanged.documentId}`);

describe('subscriptions through the gateway (SSE, fed by JetStream)', () => {
  it("sends a secret letter's events to the people on it and to no one else", async () => {
    const inbox = Object.fromEntries(
      await Promise.all(
        (['head', 'staff', 'signer', 'colleague', 'peer', 'clerk', 'admin'] as const).map(async (r) => [r, await subscribe(INBOX, tokens[r])] as const),
      ),
    ) as Record<
      'head' | 'staff' | 'signer' | 'colleague' | 'peer' | 'clerk' | 'admin',
      OpenSubscription<{ inboxChanged: { kind: string; documentId: string } }>
    >;
    let authorWatch: OpenSubscription<{ documentChanged: { status: string } }> | undefined;
    const secret = await sendLetter(
      { subject: 'Rencana mutasi pejabat (rahasia)', securityClass: 'RAHASIA', recipients: [{ kind: 'EMPLOYEE', nip: PEOPLE.head.nip }] },
      async (id) => {
        authorWatch = await subscribe(DOCUMENT, tokens.author, { variables: { id } });
        // Outside the letter, it does not exist: the same answer as for an unknown id.
        for (const outsider of ['colleague', 'peer', 'clerk', 'admin'] as const) {
          const refused = await subscribe(DOCUMENT, tokens[outsider], { variables: { id } });
          await refused.ended;
          expect(
            refused.events.map((e) => e.result.errors?.[0]?.extensions?.code),
            outsider,
          ).toEqual(['NOT_FOUND']);
        }
      },
    );

    // The author follows the letter through its moves.
    await eventually(() => (authorWatch!.events.length >= 3 ? true : undefined), "the author's three status events", 120_000);
    expect(authorWatch!.events.map((e) => e.result.data?.documentChanged.status)).toEqual(['READY_TO_SIGN', 'SIGNED', 'SENT']);
    expect(authorWatch!.events.map((e) => Number(e.id))).toEqual([...authorWatch!.events.map((e) => Number(e.id))].sort((a, b) => a - b));

    // The recipient gets it in their inbox, with the letter as they may read it.
    await eventually(() => (inbox.head.events.length >= 1 ? true : undefined), "the recipient's inbox event", 120_000);
    expect(inbox.head.events[0]!.result.data).toEqual({
      inboxChanged: {
        kind: 'RECEIVED',
        documentId: secret,
        dispositionId: null,
        document: { id: secret, subject: 'Rencana mutasi pejabat (rahasia)', securityClass: 'RAHASIA' },
      },
    });

    // The recipient dispositions it: the holder's inbox changes.
    const disposed = await gql(
      'mutation ($id: ID!, $input: DispositionInput!) { dispositionDocument(documentId: $id, input: $input) { id } }',
      {
        id: secret,
        input: { toNips: [PEOPLE.staff.nip], instruction: 'Pelajari dan siapkan tanggapan' },
      },
      tokens.head,
    );
    expect(disposed.errors).toBeUndefined();
    await eventually(() => (inbox.staff.events.length >= 1 ? true : undefined), "the holder's inbox event", 120_000);
    expect(inbox.staff.events[0]!.result.data?.inboxChanged).toMatchObject({
      kind: 'DISPOSITION',
      documentId: secret,
      dispositionId: disposed.data.dispositionDocument[0].id,
    });

    // An ordinary letter to each outsider afterwards: events reach each subscriber in
    // stream order, so when this one arrives, the secret one had its turn and was not sent.
    const control = await sendLetter({
      subject: 'Undangan rapat koordinasi',
      securityClass: 'BIASA',
      recipients: [
        { kind: 'EMPLOYEE', nip: PEOPLE.colleague.nip },
        { kind: 'EMPLOYEE', nip: PEOPLE.peer.nip },
        { kind: 'AGENCY', agencyCode: 'E2E-KOMINFO' },
      ],
    });
    for (const outsider of ['colleague', 'peer', 'clerk'] as const) {
      await eventually(() => (inbox[outsider].events.length >= 1 ? true : undefined), `${outsider}'s control letter`, 120_000);
      expect(kinds(inbox[outsider]), outsider).toEqual([`RECEIVED:${control}`]);
    }
    // The signer and the national administrator are on neither letter's recipients.
    for (const reader of ['signer', 'admin'] as const) expect(kinds(inbox[reader]), reader).toEqual([]);
    expect(JSON.stringify(inbox.head.events)).not.toContain(control);
  }, 600_000);

  it('misses nothing across a reconnection with Last-Event-ID', async () => {
    const id = await sendLetter({ subject: 'Laporan bulanan', securityClass: 'TERBATAS', recipients: [{ kind: 'EMPLOYEE', nip: PEOPLE.head.nip }] });
    const first = await gql(
      'mutation ($id: ID!, $input: DispositionInput!) { dispositionDocument(documentId: $id, input: $input) { id } }',
      {
        id,
        input: { toNips: [PEOPLE.staff.nip], instruction: 'Rangkum laporan' },
      },
      tokens.head,
    );
    expect(first.errors).toBeUndefined();
    const firstId = first.data.dispositionDocument[0].id as string;
    // The holder's app is online for the first disposition ...
    const online = await subscribe(INBOX, tokens.staff, { lastEventId: '0' });
    await eventually(
      () => (online.events.some((e) => e.result.data?.inboxChanged.dispositionId === firstId) ? true : undefined),
      'the first disposition',
      120_000,
    );
    const lastSeen = online.events.find((e) => e.result.data?.inboxChanged.dispositionId === firstId)!.id!;
    expect(lastSeen).toMatch(/^\d+$/);
    online.close();

    // ... then offline while the sender withdraws it and dispositions again.
    expect((await gql('mutation ($id: ID!) { withdrawDisposition(id: $id) { status } }', { id: firstId }, tokens.head)).errors).toBeUndefined();
    const second = await gql(
      'mutation ($id: ID!, $input: DispositionInput!) { dispositionDocument(documentId: $id, input: $input) { id } }',
      {
        id,
        input: { toNips: [PEOPLE.staff.nip], instruction: 'Rangkum laporan, tenggat diperbarui' },
      },
      tokens.head,
    );
    expect(second.errors).toBeUndefined();

    const back = await subscribe(INBOX, tokens.staff, { lastEventId: lastSeen });
    await eventually(() => (back.events.length >= 2 ? true : undefined), 'the events missed while offline', 120_000);
    expect(back.events.slice(0, 2).map((e) => e.result.data?.inboxChanged)).toEqual([
      expect.objectContaining({ kind: 'WITHDRAWN', documentId: id, dispositionId: firstId }),
      expect.objectContaining({ kind: 'DISPOSITION', documentId: id, dispositionId: second.data.dispositionDocument[0].id }),
    ]);
    expect(Number(back.events[0]!.id)).toBeGreaterThan(Number(lastSeen));
  }, 600_000);

  it('refuses a subscription without a token and a Last-Event-ID that is not one', async () => {
    const anonymous = await openSubscription(platform.url, INBOX);
    await anonymous.ended;
    expect(anonymous.events.map((e) => e.result.errors?.[0]?.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const garbled = await subscribe(INBOX, tokens.staff, { lastEventId: 'yesterday' });
    await garbled.ended;
    expect(garbled.events.map((e) => e.result.errors?.[0]?.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  }, 120_000);
});
