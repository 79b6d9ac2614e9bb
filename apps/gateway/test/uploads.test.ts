import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Objm } from '@nats-io/obj';
import { stagedUploadBucket, type StagedUpload } from '@simpul/contracts';
import { removeNamespaceStreams } from '@simpul/testing';
import { startHarness, type TestService } from './harness.ts';

type Harness = Awaited<ReturnType<typeof startHarness>>;
let h: Harness;

/** Stands in for documents: takes staged uploads and reports what arrived in the object store. */
function documentsStandIn(): TestService {
  const read = async (file: StagedUpload) => {
    const bucket = await new Objm(h.serviceConnection).open(stagedUploadBucket(h.subjects));
    const bytes = await bucket.getBlob(file.upload);
    return { ...file, sha256: createHash('sha256').update(bytes ?? new Uint8Array()).digest('hex') };
  };
  return {
    service: 'documents',
    typeDefs: /* GraphQL */ `
      scalar Upload
      type Query { health: String! }
      type Mutation { attach(file: Upload!, note: String): Received! attachMany(files: [Upload!]!): [Received!]! }
      type Received { upload: String! filename: String! contentType: String! size: Int! uploadedBy: String! sha256: String! }
    `,
    resolvers: {
      Query: { health: () => 'ok' },
      Mutation: {
        attach: (_: unknown, { file }: { file: StagedUpload }) => read(file),
        attachMany: (_: unknown, { files }: { files: StagedUpload[] }) => Promise.all(files.map(read)),
      },
    },
  };
}

async function upload(files: { bytes: Uint8Array; name: string; type: string }[], token?: string, many = false) {
  const form = new FormData();
  const query = many
    ? 'mutation ($files: [Upload!]!) { attachMany(files: $files) { upload filename contentType size uploadedBy sha256 } }'
    : 'mutation ($file: Upload!) { attach(file: $file, note: "n") { upload filename contentType size uploadedBy sha256 } }';
  form.set('operations', JSON.stringify({ query, variables: many ? { files: files.map(() => null) } : { file: null } }));
  form.set('map', JSON.stringify(Object.fromEntries(files.map((_, i) => [String(i), [many ? `variables.files.${i}` : 'variables.file']]))));
  files.forEach((f, i) => form.set(String(i), new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name));
  const response = await fetch(`${h.url}/graphql`, {
    method: 'POST',
    body: form,
    headers: { accept: 'application/graphql-response+json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- read ad hoc
  return { status: response.status, body: (await response.json()) as any };
}

async function stagedCount(): Promise<number> {
  try {
    const bucket = await new Objm(h.serviceConnection).open(stagedUploadBucket(h.subjects));
    return (await bucket.list()).length;
  } catch {
    return 0;
  }
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  h = await startHarness([documentsStandIn()], { MAX_UPLOAD_BYTES: '2000000' });
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
