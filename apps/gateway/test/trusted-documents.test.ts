import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrustedDocuments, sha256 } from '../src/trusted-documents/manifest.ts';
import { startHarness } from './harness.ts';
import { RIGHT_PASSWORD, signInStandIn } from './stand-ins.ts';

// These tests are not about timeouts: stand-ins get as long as a loaded CI machine needs.
const PATIENT_MS = '30000';

/**
 * Trusted documents (persisted operations) through the gateway, as a front-end built with
 * GraphQL Code Generator's client preset (`persistedDocuments: true`) calls it: its
 * persisted-documents.json maps "sha256:<hex>" to each document's text, and requests
 * name a document by that id.
 */
const ME = 'query Me { me { username } }';
const RENAME = 'mutation Rename($name: String!) { rename(name: $name) }';
const id = (text: string) => `sha256:${sha256(text)}`;

const dir = mkdtempSync(join(tmpdir(), 'trusted-documents-'));
const manifestPath = join(dir, 'persisted-documents.json');
writeFileSync(manifestPath, JSON.stringify({ [id(ME)]: ME, [id(RENAME)]: RENAME }, null, 2));

const identity = signInStandIn();
let h: Awaited<ReturnType<typeof startHarness>>;
beforeAll(async () => {
  h = await startHarness([identity], { SERVICE_TIMEOUT_MS: PATIENT_MS, TRUSTED_DOCUMENTS: manifestPath });
});
afterAll(async () => {
  await h?.stop();
});

interface Answer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function post(body: Record<string, unknown>, token?: string): Promise<Answer> {
  const res = await fetch(`${h.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}
const code = (a: Answer) => a.body.errors?.[0]?.extensions?.code;

describe('trusted documents (TRUSTED_DOCUMENTS set)', () => {
  it('runs a trusted document named by documentId, by persistedQuery hash, and over GET', async () => {
    const token = await h.key.sign({ sub: 'employee-1', username: '199001012020011001', roles: ['EMPLOYEE'] });
    const byId = await post({ documentId: id(ME) }, token);
    expect(byId).toEqual({ status: 200, body: { data: { me: { username: '199001012020011001' } } } });

    const byExtension = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(RENAME) } }, variables: { name: 'Biro Umum' } }, token);
    expect(byExtension.body).toEqual({ data: { rename: 'Biro Umum' } });

    const extensions = encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256(ME) } }));
    const get = await fetch(`${h.url}/graphql?extensions=${extensions}`, { headers: { authorization: `Bearer ${token}` } });
    expect(await get.json()).toEqual({ data: { me: { username: '199001012020011001' } } });
  });

  it('answers an unknown id with PERSISTED_QUERY_NOT_FOUND', async () => {
    for (const unknown of [id('query Other { health }'), 'sha256:nothex', 42]) {
      const answer = await post({ documentId: unknown });
      expect(answer.status).toBe(400);
      expect(code(answer)).toBe('PERSISTED_QUERY_NOT_FOUND');
    }
    const extension = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ health }') } } });
    expect(code(extension)).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('refuses free-form text from anonymous callers and ordinary users, before any service runs it', async () => {
    const employee = await h.key.sign({ sub: 'employee-2', roles: ['EMPLOYEE', 'HR_OFFICER'] });
    const renames = identity.calls.rename;
    for (const token of [undefined, employee]) {
      // Even the exact text of a trusted document: the client must send its id.
      for (const query of ['{ health }', ME, 'mutation { rename(name: "x") }']) {
        const answer = await post({ query }, token);
        expect(answer.status).toBe(400);
        expect(code(answer)).toBe('PERSISTED_QUERY_ONLY');
        expect(answer.body.data).toBeUndefined();
      }
    }
    expect(identity.calls.rename).toBe(renames);
    // Not even validated: a refused caller learns nothing about the schema from the errors.
    expect(code(await post({ query: '{ noSuchField }' }))).toBe('PERSISTED_QUERY_ONLY');
  });

  it('runs the trusted text for an id, whatever text comes with it', async () => {
    const token = await h.key.sign({ sub: 'employee-3', username: 'pegawai', roles: ['EMPLOYEE'] });
    const answer = await post({ documentId: id(ME), query: 'mutation { rename(name: "smuggled") }' }, token);
    expect(answer.body).toEqual({ data: { me: { username: 'pegawai' } } });
  });

  it('keeps free-form access for operators, national administrators and API clients', async () => {
    for (const role of ['OPERATOR', 'NATIONAL_ADMIN', 'API_CLIENT'] as const) {
      const token = await h.key.sign({ sub: `caller-${role}`, username: role, roles: [role] });
      const answer = await post({ query: '{ health me { username } }' }, token);
      expect(answer.body, role).toEqual({ data: { health: 'ok', me: { username: role } } });
    }
  });

  it('accepts a login-only text from anyone, so that an operator can log in from the console or GraphiQL', async () => {
    const login = await post({
      query: 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
      variables: { u: 'operator', p: RIGHT_PASSWORD },
    });
    expect(login.body).toEqual({ data: { login: { token: 'token-of-operator' } } });
    // Anything else alongside the login is free-form text again.
    const more = await post({ query: `mutation { login(username: "a", password: "${RIGHT_PASSWORD}") { token } rename(name: "x") }` });
    expect(code(more)).toBe('PERSISTED_QUERY_ONLY');
    const hidden = await post({ query: `mutation { ...M } fragment M on Mutation { login(username: "a", password: "b") { token } rename(name: "x") }` });
    expect(code(hidden)).toBe('PERSISTED_QUERY_ONLY');
  });

  it('refuses a forged token with 401 rather than judging its roles', async () => {
    const res = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-token' },
      body: JSON.stringify({ query: '{ health }' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as Answer['body']).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('without TRUSTED_DOCUMENTS (development)', () => {
  it('runs any text, also sent with its hash, and answers ids alone with PERSISTED_QUERY_NOT_FOUND', async () => {
    const dev = await startHarness([signInStandIn()], { SERVICE_TIMEOUT_MS: PATIENT_MS });
    try {
      const res = await fetch(`${dev.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ health }' }),
      });
      expect(await res.json()).toEqual({ data: { health: 'ok' } });
      const byId = await fetch(`${dev.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ documentId: id(ME) }),
      });
      const body = (await byId.json()) as Answer['body'];
      expect(body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(body.errors?.[0]?.message).toContain('no TRUSTED_DOCUMENTS manifest');
      // A front-end built for trusted documents sends its text beside the hash: the text runs.
      const both = await fetch(`${dev.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ health }', extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ health }') } } }),
      });
      expect(await both.json()).toEqual({ data: { health: 'ok' } });
    } finally {
      await dev.stop();
    }
  });
});

describe('manifest', () => {
  const write = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('reads several manifests, with or without the sha256: prefix', () => {
    const other = write('other.json', JSON.stringify({ [sha256('{ health }')]: '{ health }' }));
    const documents = loadTrustedDocuments([manifestPath, other]);
    expect([...documents.keys()].sort()).toEqual([sha256(ME), sha256(RENAME), sha256('{ health }')].sort());
  });

  it('refuses a manifest that is not one, naming the file and the entry', () => {
    expect(() => loadTrustedDocuments([join(dir, 'missing.json')])).toThrow(/missing\.json/);
    expect(() => loadTrustedDocuments([write('array.json', '["{ health }"]')])).toThrow(/array\.json is not a JSON object/);
    // The preset's hashAlgorithm 'sha1' writes 40-hex keys without a prefix.
    const sha1Key = 'a'.repeat(40);
    expect(() => loadTrustedDocuments([write('sha1.json', JSON.stringify({ [sha1Key]: '{ health }' }))])).toThrow(new RegExp(`${sha1Key}.*sha256`));
    expect(() => loadTrustedDocuments([write('wrong.json', JSON.stringify({ [id(ME)]: RENAME }))])).toThrow(/not the SHA-256 of its document/);
  });
});
