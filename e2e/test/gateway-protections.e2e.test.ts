import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleMessage } from 'playwright-core';
import { launchBrowser, screenshot, type Browser } from './browser.ts';
import { startPlatform, type Platform } from './platform.ts';

/**
 * The gateway's protections against the real identity service, as clients meet them:
 * GraphiQL in Debian's Chromium under the gateway's Content-Security-Policy, the limit
 * on failed logins per address, and a production-mode gateway that runs only trusted
 * documents.
 */
const LOGIN = 'mutation Login($username: String!, $password: String!) { login(username: $username, password: $password) { token } }';
const ME = 'query Me { me { username roles } }';
const documentId = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform({ LOGIN_FAILURES_PER_ADDRESS: '3', SIGN_IN_LIMIT_WINDOW_SECONDS: '3600' }, { services: ['identity'] });
});
afterAll(async () => {
  await platform?.stop();
});

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}
async function post(url: string, body: Record<string, unknown>, token?: string): Promise<Answer> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Answer['body'] };
}
const code = (a: Answer) => a.body.errors?.[0]?.extensions?.code;
const login = (url: string, username: string, password: string) => post(url, { query: LOGIN, variables: { username, password } });

describe('GraphiQL in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("loads and runs a query under the gateway's CSP, with no violation reported", { timeout: 300_000 }, async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error' || /Content Security Policy|Refused to/i.test(message.text())) problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`${res.status()} ${res.url()}`);
    });
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(worker.url()));

    const response = await page.goto(`${platform.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      waitUntil: 'domcontentloaded',
      timeout: 120_000,
    });
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('.graphiql-container').first().waitFor({ timeout: 120_000 });
    await page.locator('.graphiql-execute-button').first().click();
    await page.locator('.graphiql-response').getByText('"Query"').first().waitFor({ timeout: 120_000 });
    await screenshot(page, 'graphiql-under-csp');
    // Monaco's language workers run from the gateway's own files.
    expect(workers.some((url) => url.startsWith(`${platform.url}/graphiql/monacoeditorwork/`))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('failed logins per address (LOGIN_FAILURES_PER_ADDRESS)', () => {
  it('lets the administrator log in again and again, and stops the address after three failed logins', async () => {
    for (let i = 0; i < 5; i++) expect(code(await login(platform.url, 'admin', platform.adminPassword)), `login ${i}`).toBeUndefined();
    // Failures against accounts that do not exist: identity answers them as a wrong password.
    for (let i = 0; i < 3; i++) expect(code(await login(platform.url, `nobody-${i}`, 'guess-guess-guess'))).toBe('UNAUTHENTICATED');
    const limited = await login(platform.url, 'admin', platform.adminPassword);
    expect(limited.status).toBe(429);
    expect(code(limited)).toBe('RATE_LIMITED');
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
  });
});

describe('a production-mode gateway (TRUSTED_DOCUMENTS)', () => {
  it('runs trusted documents by id, refuses other text, and keeps free-form access for the administrator', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'e2e-trusted-documents-'));
    const manifest = join(dir, 'persisted-documents.json');
    writeFileSync(manifest, JSON.stringify({ [documentId(LOGIN)]: LOGIN, [documentId(ME)]: ME }));
    const production = await platform.startGateway({ TRUSTED_DOCUMENTS: manifest });

    const signedIn = await post(production.url, { documentId: documentId(LOGIN), variables: { username: 'admin', password: platform.adminPassword } });
    const token = (signedIn.body.data?.login as { token: string }).token;
    expect((await post(production.url, { documentId: documentId(ME) }, token)).body).toEqual({
      data: { me: { username: 'admin', roles: ['NATIONAL_ADMIN'] } },
    });

    const unknown = await post(production.url, { documentId: documentId('{ health }') });
    expect(code(unknown)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(code(await post(production.url, { query: ME }))).toBe('PERSISTED_QUERY_ONLY');
    // NATIONAL_ADMIN is a free-form role: GraphiQL and scripts keep working for operators.
    expect((await post(production.url, { query: '{ me { username } }' }, token)).body).toEqual({ data: { me: { username: 'admin' } } });
  });
});
