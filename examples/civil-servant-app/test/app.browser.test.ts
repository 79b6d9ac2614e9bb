import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, parse, validate } from 'graphql';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, freePort, postGraphQL, type GraphQLResponse } from '@simpul/testing';
import { launchBrowser, type Browser } from '../../../e2e/test/browser.ts';
import { appointPeople, passwordOf } from '../../../e2e/test/people.ts';
import { startPlatform, type Platform } from '../../../e2e/test/platform.ts';
import { gatewaySchema } from '../scripts/gateway-schema.ts';

// The built app (dist/) in Debian's Chromium against the real platform: a civil servant
// logs in, sees their record, gets a letter in their inbox live while the page is open,
// and signs the letter waiting for them. Screenshots go to artifacts/ (gitignored).
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const DIST = here('../dist/');
const ARTIFACTS = here('../artifacts/');
const manifest = JSON.parse(readFileSync(here('../src/generated/persisted-documents.json'), 'utf8')) as Record<string, string>;

const PEOPLE = {
  user: { nip: '197503032000011003', name: 'Bambang Kepala', agencyCode: 'E2E-SETDA', unitCode: 'PIMPINAN' },
  author: { nip: '198501012010011001', name: 'Rina Penulis', agencyCode: 'E2E-SETDA', unitCode: 'TU' },
  sender: { nip: '197804042003011004', name: 'Siti Kadis', agencyCode: 'E2E-KOMINFO', unitCode: 'PIMPINAN' },
  clerk: { nip: '199005052015011005', name: 'Budi Staf', agencyCode: 'E2E-KOMINFO', unitCode: 'TU' },
} as const;

let platform: Platform;
let site: Server;
let origin: string;
let browser: Browser;
let page: Page;
let tokens: Record<keyof typeof PEOPLE, string>;
const sentBodies: string[] = [];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function gql<T = any>(query: string, variables: Record<string, unknown>, token: string): Promise<GraphQLResponse<T>> {
  return (await postGraphQL<T>(platform.url, query, variables, token)).body;
}

/** Writes a letter as `author` for `signer` to sign; submitted, so it waits for the signature. */
async function letterToSign(subject: string, author: string, signerNip: string, recipients: unknown[]): Promise<string> {
  const created = await eventually(
    async () => {
      const result = await gql(
        'mutation ($input: CreateDocumentInput!) { createDocument(input: $input) { id } }',
        {
          input: { type: 'SURAT_DINAS', subject, body: 'Dengan hormat.', classificationCode: '500.12.1', securityClass: 'BIASA', signerNip, recipients },
        },
        author,
      );
      // documents learns employees from personnel's events: BAD_USER_INPUT until it knows them.
      return result.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT' ? undefined : result;
    },
    'documents to learn the employees',
    120_000,
  );
  expect(created.errors).toBeUndefined();
  const id = created.data.createDocument.id as string;
  expect((await gql('mutation ($id: ID!) { submitDocument(id: $id) { status } }', { id }, author)).errors).toBeUndefined();
  return id;
}

/** Serves dist/ and passes /graphql on to the gateway (streamed, so SSE works): the app at the gateway's origin, as in production. */
function serveApp(port: number, gatewayUrl: string): Promise<Server> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/graphql')) {
      const target = new URL(req.url, gatewayUrl);
      const upstream = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      res.on('close', () => upstream.destroy());
      req.pipe(upstream);
      return;
    }
    const path = join(DIST, (req.url ?? '/').split('?')[0] === '/' ? 'index.html' : (req.url ?? '').split('?')[0]!);
    if (!path.startsWith(DIST) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
    createReadStream(path).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  expect(existsSync(join(DIST, 'index.html')), 'run `npm run build` first').toBe(true);
  platform = await startPlatform({}, { services: ['identity', 'personnel', 'documents'] });
  const admin = (
    await postGraphQL<{ login: { token: string } }>(platform.url, 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', {
      u: 'admin',
      p: platform.adminPassword,
    })
  ).body.data!.login.token;
  tokens = await appointPeople(
    platform,
    admin,
    [
      ['E2E-SETDA', 'Sekretariat Daerah Uji'],
      ['E2E-KOMINFO', 'Dinas Kominfo Uji'],
    ],
    PEOPLE,
  );
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  site = await serveApp(port, platform.url);
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('request', (r) => {
    if (r.url().endsWith('/graphql') && r.method() === 'POST') sentBodies.push(r.postData() ?? '');
  });
}, 400_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => (site ? site.close(r) : r(undefined)));
  await platform?.stop();
});

describe('the civil servant app in Chromium', () => {
  it("only sends operations the gateway's schema accepts", async () => {
    const schema = buildSchema(await gatewaySchema(platform.url));
    for (const [hash, text] of Object.entries(manifest)) expect(validate(schema, parse(text)), hash).toEqual([]);
  });

  it('shows the record, updates the inbox live and signs the waiting letter', async () => {
    const waiting = await letterToSign('Nota dinas anggaran TIK', tokens.author, PEOPLE.user.nip, [{ kind: 'UNIT', agencyCode: 'E2E-SETDA', unitCode: 'TU' }]);

    await page.goto(origin);
    await page.getByLabel('NIP').fill(PEOPLE.user.nip);
    await page.getByLabel('Kata sandi').fill(passwordOf('user'));
    await page.getByRole('button', { name: 'Masuk' }).click();

    const record = page.getByTestId('record');
    await record.getByText(PEOPLE.user.name).waitFor({ timeout: 60_000 });
    await expect(record.textContent()).resolves.toContain(PEOPLE.user.nip);
    await expect(record.textContent()).resolves.toContain('Bagian PIMPINAN');
    await page.getByTestId('to-sign').getByText('Nota dinas anggaran TIK').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="live-state"][data-state="live"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('inbox').getByText('Tidak ada surat.').waitFor({ timeout: 60_000 });

    // Another agency writes to them while the page is open: it appears without a reload.
    const inbound = await letterToSign('Undangan rapat koordinasi SPBE', tokens.sender, PEOPLE.sender.nip, [{ kind: 'EMPLOYEE', nip: PEOPLE.user.nip }]);
    for (const [mutation, token] of [
      ['signDocument', tokens.sender],
      ['sendDocument', tokens.sender],
    ] as const) {
      expect((await gql(`mutation ($id: ID!) { ${mutation}(id: $id) { status } }`, { id: inbound }, token)).errors).toBeUndefined();
    }
    await page.getByTestId('inbox').getByText('Undangan rapat koordinasi SPBE').waitFor({ timeout: 120_000 });
    await expect(page.getByTestId('inbox-notice').textContent()).resolves.toBe('Surat masuk baru: Undangan rapat koordinasi SPBE');

    await page.getByRole('button', { name: 'Tandatangani' }).click();
    await page
      .getByTestId('to-sign')
      .getByText(/Ditandatangani · nomor \d+\//)
      .waitFor({ timeout: 60_000 });
    const signed = await gql('query ($id: ID!) { document(id: $id) { status signerNip } }', { id: waiting }, tokens.author);
    expect(signed.data.document).toEqual({ status: 'SIGNED', signerNip: PEOPLE.user.nip });
    await page.screenshot({ path: join(ARTIFACTS, 'civil-servant-app.png'), fullPage: true });

    // Every request named its operation by the hash in the trusted-documents manifest.
    const hashes = sentBodies.map(
      (b) => (JSON.parse(b) as { extensions?: { persistedQuery?: { sha256Hash?: string } } }).extensions?.persistedQuery?.sha256Hash,
    );
    expect(hashes.length).toBeGreaterThanOrEqual(5);
    for (const hash of hashes) expect(Object.keys(manifest)).toContain(hash);
  });
});
