import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Objm } from '@nats-io/obj';
import { stagedUploadBucket, type StagedUpload } from '@simpul/contracts';
import { forbidden } from '@simpul/kit';
import { removeNamespaceStreams } from '@simpul/testing';
import { startHarness, type TestService } from './harness.ts';

type Harness = Awaited<ReturnType<typeof startHarness>>;
let h: Harness;

/** Lets a test hold `attachHeld` in flight until it opens the gate. */
let gate = { opened: Promise.resolve(), open: () => {} };
let held = 0;
function closeGate() {
  let open = () => {};
  gate = { opened: new Promise<void>((r) => (open = r)), open: () => open() };
}

/**
 * Stands in for documents: takes staged uploads and reports what arrived in the object
 * store. Unlike documents, it never deletes what it read: the gateway must.
 */
function documentsStandIn(): TestService {
  const read = async (file: StagedUpload) => {
    const bucket = await new Objm(h.serviceConnection).open(stagedUploadBucket(h.subjects));
    const bytes = await bucket.getBlob(file.upload);
    return {
      ...file,
      sha256: createHash('sha256')
        .update(bytes ?? new Uint8Array())
        .digest('hex'),
    };
  };
  return {
    service: 'documents',
    typeDefs: /* GraphQL */ `
      scalar Upload
      input AttachInput { file: Upload! note: String }
      type Query { health: String! }
      type Mutation {
        attach(file: Upload!, note: String): Received!
        attachMany(files: [Upload!]!): [Received!]!
        attachInput(input: AttachInput!): Received!
        attachRefused(file: Upload!): Received
        attachHeld(file: Upload!): Received!
      }
      type Received { upload: String! filename: String! contentType: String! size: Int! uploadedBy: String! sha256: String! }
    `,
    resolvers: {
      Query: { health: () => 'ok' },
      Mutation: {
        attach: (_: unknown, { file }: { file: StagedUpload }) => read(file),
        attachMany: (_: unknown, { files }: { files: StagedUpload[] }) => Promise.all(files.map(read)),
        attachInput: (_: unknown, { input }: { input: { file: StagedUpload } }) => read(input.file),
        attachRefused: () => {
          throw forbidden('not your draft');
        },
        attachHeld: async (_: unknown, { file }: { file: StagedUpload }) => {
          held++;
          await gate.opened;
          return read(file);
        },
      },
    },
  };
}

type TestFile = { bytes: Uint8Array; name: string; type: string };
const pdf = (size: number): TestFile => ({ bytes: randomBytes(size), name: 'x.pdf', type: 'application/pdf' });

/** A GraphQL multipart request: `operations`, `map` (file i to paths[i]) and the file parts. */
async function multipart(query: string, variables: Record<string, unknown>, files: TestFile[], paths: string[], token?: string) {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query, variables }));
  form.set('map', JSON.stringify(Object.fromEntries(paths.map((p, i) => [String(i), [p]]))));
  files.forEach((f, i) => form.set(String(i), new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name));
  const response = await fetch(`${h.url}/graphql`, {
    method: 'POST',
    body: form,
    headers: { accept: 'application/graphql-response+json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- read ad hoc
  return { status: response.status, body: (await response.json()) as any };
}

const RECEIVED = 'upload filename contentType size uploadedBy sha256';

function upload(files: TestFile[], token?: string, many = false) {
  return many
    ? multipart(
        `mutation ($files: [Upload!]!) { attachMany(files: $files) { ${RECEIVED} } }`,
        { files: files.map(() => null) },
        files,
        files.map((_, i) => `variables.files.${i}`),
        token,
      )
    : multipart(`mutation ($file: Upload!) { attach(file: $file, note: "n") { ${RECEIVED} } }`, { file: null }, files, ['variables.file'], token);
}

async function stagedCount(): Promise<number> {
  try {
    const bucket = await new Objm(h.serviceConnection).open(stagedUploadBucket(h.subjects));
    return (await bucket.list()).length;
  } catch {
    return 0;
  }
}

/** Bytes the staging bucket holds (deleted objects leave only a small marker). */
async function stagedBytes(): Promise<number> {
  try {
    return (await (await new Objm(h.serviceConnection).open(stagedUploadBucket(h.subjects))).status()).size;
  } catch {
    return 0;
  }
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  // A long service timeout: the quota test holds one upload in flight while it sends others.
  h = await startHarness([documentsStandIn()], {
    MAX_UPLOAD_BYTES: '2000000',
    UPLOAD_QUOTA_BYTES: '2500000',
    UPLOAD_QUOTA_FILES: '3',
    SERVICE_TIMEOUT_MS: '60000',
  });
});
afterAll(async () => {
  await h?.stop();
  if (h) await removeNamespaceStreams(h.subjects.namespace);
});

describe('file uploads (GraphQL multipart requests)', () => {
  it('stages a file larger than a NATS message in the object store and passes the service a reference', async () => {
    const bytes = randomBytes(1_500_000);
    const token = await h.key.sign({ username: '198503302010011002', agency: 'KOMINFO', roles: ['EMPLOYEE'] });
    const { status, body } = await upload([{ bytes, name: 'lampiran.pdf', type: 'application/pdf' }], token);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(body.data.attach).toMatchObject({
      filename: 'lampiran.pdf',
      contentType: 'application/pdf',
      size: 1_500_000,
      uploadedBy: '198503302010011002',
      sha256: sha(bytes),
    });
  });

  it('stages every file of a list', async () => {
    const files = [randomBytes(10), randomBytes(20)].map((bytes, i) => ({ bytes, name: `f${i}.txt`, type: 'text/plain' }));
    const { body } = await upload(files, await h.key.sign(), true);
    expect(body.errors).toBeUndefined();
    expect(body.data.attachMany.map((r: { sha256: string }) => r.sha256)).toEqual(files.map((f) => sha(f.bytes)));
  });

  it('passes the reference through stitching too (single-service routing off)', async () => {
    const primary = h;
    const stitched = await startHarness([documentsStandIn()], { SINGLE_SERVICE_ROUTE: 'false' });
    h = stitched;
    try {
      const bytes = randomBytes(300_000);
      const { body } = await upload([{ bytes, name: 'a.png', type: 'image/png' }], await stitched.key.sign());
      expect(body.errors).toBeUndefined();
      expect(body.data.attach).toMatchObject({ filename: 'a.png', contentType: 'image/png', sha256: sha(bytes) });
    } finally {
      h = primary;
      await stitched.stop();
      await removeNamespaceStreams(stitched.subjects.namespace);
    }
  });

  it('refuses uploads without a login and stores nothing', async () => {
    const before = await stagedCount();
    const { status, body } = await upload([{ bytes: randomBytes(100), name: 'x.pdf', type: 'application/pdf' }]);
    expect(status).toBe(401);
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(await stagedCount()).toBe(before);
  });

  it('refuses a file over the limit and stores nothing', async () => {
    const before = await stagedCount();
    const token = await h.key.sign();
    // Over MAX_UPLOAD_BYTES but within the request limit: the plugin refuses it.
    const slightly = await upload([{ bytes: randomBytes(2_050_000), name: 'big.pdf', type: 'application/pdf' }], token);
    expect(slightly.status).toBe(413);
    expect(slightly.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(slightly.body.errors[0].message).toContain('larger than 2000000 bytes');
    // Far over: the HTTP server refuses the body before reading it.
    const far = await upload([{ bytes: randomBytes(3_000_000), name: 'bigger.pdf', type: 'application/pdf' }], token);
    expect(far.status).toBe(413);
    expect(await stagedCount()).toBe(before);
  });
});

describe('nothing is stored for an operation that does not take the file', () => {
  it('refuses 12 files sent with `{ __typename }` (the bucket-filling repro), stores nothing, and real uploads still work', async () => {
    const token = await h.key.sign({ username: 'penyerang' });
    const before = await stagedBytes();
    for (let i = 0; i < 12; i++) {
      const { status, body } = await multipart('{ __typename }', { file: null }, [pdf(1_500_000)], ['variables.file'], token);
      expect(status).toBe(400);
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors[0].message).toMatch(/variables\.file: the operation declares no variable \$file/);
    }
    expect(await stagedCount()).toBe(0);
    expect(await stagedBytes()).toBe(before);

    const bytes = randomBytes(1_500_000);
    const real = await upload([{ bytes, name: 'surat.pdf', type: 'application/pdf' }], token);
    expect(real.body.errors).toBeUndefined();
    expect(real.body.data.attach.sha256).toBe(sha(bytes));
  });

  it('refuses a file put where the operation takes no Upload, and stores nothing', async () => {
    const token = await h.key.sign();
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      // A declared variable of another type.
      [
        'mutation ($file: Upload!, $note: String) { attach(file: $file, note: $note) { upload } }',
        { file: null, note: null },
        'variables.note',
        /\$note is String, not Upload/,
      ],
      // An input object's field that is not an Upload.
      [
        'mutation ($input: AttachInput!) { attachInput(input: $input) { upload } }',
        { input: { file: null, note: null } },
        'variables.input.note',
        /\$input\.note is String, not Upload/,
      ],
      // A field the input type does not have.
      [
        'mutation ($input: AttachInput!) { attachInput(input: $input) { upload } }',
        { input: { file: null, extra: null } },
        'variables.input.extra',
        /\$input has no extra that takes a file/,
      ],
    ];
    for (const [query, variables, path, message] of cases) {
      const { status, body } = await multipart(query, variables, [pdf(1_000)], [path], token);
      expect(status).toBe(400);
      expect(body.errors[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT' } });
    }
    // An operation that does not validate never gets as far as storing.
    const invalid = await multipart('mutation ($file: Upload!) { attach(file: $file) { nope } }', { file: null }, [pdf(1_000)], ['variables.file'], token);
    expect(invalid.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await stagedCount()).toBe(0);
  });

  it('stages a file inside an input object', async () => {
    const bytes = randomBytes(1_000);
    const { body } = await multipart(
      `mutation ($input: AttachInput!) { attachInput(input: $input) { ${RECEIVED} } }`,
      { input: { file: null, note: 'lampiran' } },
      [{ bytes, name: 'a.txt', type: 'text/plain' }],
      ['variables.input.file'],
      await h.key.sign(),
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.attachInput.sha256).toBe(sha(bytes));
  });
});

describe('staged files live only as long as their operation', () => {
  it('deletes a file the service did not claim once the operation succeeded', async () => {
    const { body } = await upload([pdf(200_000)], await h.key.sign());
    expect(body.errors).toBeUndefined();
    const bucket = await new Objm(h.serviceConnection).open(stagedUploadBucket(h.subjects));
    expect(await bucket.info(body.data.attach.upload)).toMatchObject({ deleted: true });
    expect(await stagedCount()).toBe(0);
  });

  it('deletes the files of an operation that failed', async () => {
    const { body } = await multipart(
      'mutation ($file: Upload!) { attachRefused(file: $file) { upload } }',
      { file: null },
      [pdf(200_000)],
      ['variables.file'],
      await h.key.sign(),
    );
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await stagedCount()).toBe(0);
  });
});

describe('a quota of staged files per user', () => {
  it('refuses a user more than UPLOAD_QUOTA_BYTES in flight, not the others, and gives the room back when the operation ends', async () => {
    const alice = await h.key.sign({ username: 'alice' });
    const bob = await h.key.sign({ username: 'bob' });
    closeGate();
    held = 0;
    const first = multipart(
      `mutation ($file: Upload!) { attachHeld(file: $file) { ${RECEIVED} } }`,
      { file: null },
      [pdf(1_500_000)],
      ['variables.file'],
      alice,
    );
    for (let i = 0; i < 600 && held === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(held).toBe(1);
    expect(await stagedCount()).toBe(1);

    // 1.5 MB staged + 1.5 MB more is over alice's 2.5 MB.
    const refused = await upload([pdf(1_500_000)], alice);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0]).toMatchObject({ extensions: { code: 'QUOTA_EXCEEDED' }, message: expect.stringMatching(/1 file\(s\), 1500000 bytes/) });
    expect(await stagedCount()).toBe(1);
    // Bob has his own quota.
    expect((await upload([pdf(1_500_000)], bob)).body.errors).toBeUndefined();

    gate.open();
    expect((await first).body.errors).toBeUndefined();
    expect((await upload([pdf(1_500_000)], alice)).body.errors).toBeUndefined();
    expect(await stagedCount()).toBe(0);
  });

  it('refuses more than UPLOAD_QUOTA_FILES files at once', async () => {
    const files = Array.from({ length: 4 }, () => pdf(10));
    const { status, body } = await upload(files, await h.key.sign({ username: 'carol' }), true);
    expect(status).toBe(429);
    expect(body.errors[0].extensions.code).toBe('QUOTA_EXCEEDED');
    expect(await stagedCount()).toBe(0);
  });
});
