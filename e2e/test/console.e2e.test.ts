import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, DEAD_LETTER_HEADERS, ensureDeadLetterStream } from '@simpul/bus';
import { EmployeeAppointed, subjectsFor } from '@simpul/contracts';
import { connectTestBus, eventually, testNatsUrl, type GraphQLResponse } from '@simpul/testing';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, screenshot, type Browser } from './browser.ts';
import { startPlatform, type Platform } from './platform.ts';
import { agencyClient } from './agency-client.ts';

/**
 * The operators' console in a real browser (Debian's Chromium, driven by playwright-core)
 * against the real platform: every service as a process, the telemetry service storing
 * their spans, the gateway serving /console. Screenshots of every page go to
 * e2e/artifacts/console/.
 */
const AGENCY = 'E2E-KONSOL';
const OPERATOR = { username: 'operator.e2e', password: `operator-${randomBytes(8).toString('hex')}` };
const CLERK = { username: 'arsip.e2e', password: `clerk-${randomBytes(8).toString('hex')}` };
const NIP = '199001012020011001';
/** The employee whose appointment a consumer gave up on: the dead letter the operator replays. */
const DEAD_NIP = '199105052021012003';

let platform: Platform;
let browser: Browser;
let page: Page;
let adminToken: string;

async function gql<T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(`${platform.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GraphQLResponse<T>;
}

async function login(username: string, password: string): Promise<string> {
  const res = await gql<{ login: { token: string } }>('mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', {
    u: username,
    p: password,
  });
  expect(res.errors).toBeUndefined();
  return res.data!.login.token;
}

async function mustSucceed(query: string, variables: Record<string, unknown>, token: string): Promise<void> {
  const res = await gql(query, variables, token);
  expect(res.errors, query).toBeUndefined();
}

/** Logs in through the console's form; resolves once the overview is shown. */
async function consoleLogin(target: Page, user: { username: string; password: string }): Promise<void> {
  await target.goto(`${platform.url}/console`);
  await target.getByLabel('Username').fill(user.username);
  await target.getByLabel('Password').fill(user.password);
  await target.getByRole('button', { name: 'Log in' }).click();
  await target.getByRole('heading', { name: 'Overview' }).waitFor();
}

/** Follows a link of the console's top bar. */
async function nav(target: Page, name: string): Promise<void> {
  await target.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
}

/**
 * Repeats `step` (a search, a reload) until `target` shows up: telemetry arrives a little
 * after the fact. Each try gives the page a few seconds to answer before the next.
 */
async function until(step: () => Promise<unknown>, target: Locator, what: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await step();
    try {
      await target.first().waitFor({ timeout: 5_000 });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    }
  }
}

beforeAll(async () => {
  // Short settle and sweep so that a trace is searchable within a second or two.
  [platform, browser] = await Promise.all([
    startPlatform({ TELEMETRY_SETTLE_MS: '1000', TELEMETRY_SWEEP_MS: '300', EVENT_WEBHOOK_MAX_ATTEMPTS: '2', EVENT_WEBHOOK_RETRY_MS: '200' }),
    launchBrowser(),
  ]);
  page = await browser.newPage();
  // The first page load meets a cold platform on a loaded CI machine: Playwright's 30 s default ran out.
  page.setDefaultTimeout(90_000);
  adminToken = await login('admin', platform.adminPassword);
  await mustSucceed(
    'mutation ($i: CreateAgencyInput!) { createAgency(input: $i) { code } }',
    { i: { code: AGENCY, name: 'Badan Uji Konsol', kind: 'AGENCY' } },
    adminToken,
  );
  await mustSucceed(
    'mutation ($i: CreateUnitInput!) { createUnit(input: $i) { code } }',
    { i: { agencyCode: AGENCY, code: 'SDM', name: 'Bidang SDM' } },
    adminToken,
  );
  // The national administrator grants OPERATOR; this operator also keeps the test agency's records.
  const user = 'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }';
  await mustSucceed(
    user,
    { i: { username: OPERATOR.username, displayName: 'Operator Uji', agencyCode: AGENCY, roles: ['OPERATOR', 'HR_OFFICER'], password: OPERATOR.password } },
    adminToken,
  );
  await mustSucceed(
    user,
    { i: { username: CLERK.username, displayName: 'Arsiparis Uji', agencyCode: AGENCY, roles: ['RECORDS_OFFICER'], password: CLERK.password } },
    adminToken,
  );
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

describe('the operators console in a browser', () => {
  let traceId: string;

  it('an operator logs in, appoints an employee through the graph, and finds the trace as one waterfall', async () => {
    await page.goto(`${platform.url}/console`);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await screenshot(page, '0-login');
    await consoleLogin(page, OPERATOR);

    // The appointment, with the operator's token from the console's session, under a trace id we chose.
    const token = await page.evaluate(() => {
      const storage = (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage;
      return (JSON.parse(storage.getItem('simpul.console.session') ?? '{}') as { token: string }).token;
    });
    traceId = randomBytes(16).toString('hex');
    const appointed = await gql(
      'mutation AppointEmployee($i: AppointEmployeeInput!) { appointEmployee(input: $i) { nip } }',
      {
        i: {
          nip: NIP,
          name: 'Sari Konsol',
          agencyCode: AGENCY,
          unitCode: 'SDM',
          rank: 'III/a',
          positionName: 'Analis SDM Aparatur',
          positionType: 'AHLI_PERTAMA',
        },
      },
      token,
      { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    );
    expect(appointed.errors).toBeUndefined();

    // Traces page: search by operation until the appointment's trace is listed.
    await nav(page, 'Traces');
    await page.getByRole('textbox', { name: 'Operation' }).fill('AppointEmployee');
    const row = page.locator(`[data-trace-id="${traceId}"]`);
    await until(() => page.getByRole('button', { name: 'Search' }).click(), row, 'the appointment in the trace search');
    await screenshot(page, '2-traces-search');

    // Its waterfall: the gateway's HTTP and GraphQL spans, the NATS request, personnel's execution
    // and Prisma queries, and identity's consumer that opened the account, in one tree.
    await row.getByRole('link').first().click();
    await page.waitForURL(new RegExp(`#/traces/${traceId}`));
    // Identity consumes more than one of personnel's events in this trace (the audit entry's
    // too, published beside it): the one that opened the account is employee.appointed.
    const consumer = page.locator('.waterfall-row[data-service="identity"][data-category="event"]', { hasText: 'employee.appointed' });
    await until(() => page.reload(), consumer, "identity's consumer span in the waterfall");
    const rows = page.locator('.waterfall-row');
    const seen = await rows.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-service')}/${e.getAttribute('data-category')}`));
    expect(seen).toEqual(expect.arrayContaining(['gateway/http', 'gateway/graphql', 'gateway/nats', 'personnel/graphql', 'personnel/db', 'identity/event']));
    expect(await consumer.first().textContent()).toContain('employee.appointed');
    await consumer.first().click();
    const details = page.getByRole('complementary', { name: 'Span details' });
    await expect.poll(() => details.textContent()).toContain('identity: consume');
    await screenshot(page, '3-trace');
  }, 180_000);

  it('opens the trace of an error answer from the trace id the gateway put in it', async () => {
    const token = await login(OPERATOR.username, OPERATOR.password);
    // An HR officer may not appoint into another agency: FORBIDDEN, with the trace id.
    const refused = await gql(
      'mutation AppointElsewhere($i: AppointEmployeeInput!) { appointEmployee(input: $i) { nip } }',
      { i: { nip: '199202022020012004', name: 'X', agencyCode: 'KEMENPANRB', rank: 'III/a', positionName: 'X', positionType: 'AHLI_PERTAMA' } },
      token,
    );
    const errorTrace = (refused.errors?.[0]?.extensions as { traceId?: string } | undefined)?.traceId;
    expect(errorTrace).toMatch(/^[0-9a-f]{32}$/);
    await page.getByLabel('Trace id').fill(errorTrace!);
    await page.getByLabel('Trace id').press('Enter');
    await page.waitForURL(new RegExp(`#/traces/${errorTrace}`));
    await until(() => page.reload(), page.locator('.waterfall-row'), 'the error trace');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('ERROR');
  });

  it('shows the service map with the calls and the event that crossed services', async () => {
    await nav(page, 'Service map');
    const personnel = page.locator('[data-node="personnel"]');
    await until(() => page.reload(), page.locator('[data-edge="gateway->personnel"]'), 'the call from the gateway to personnel on the map');
    expect(await personnel.count()).toBe(1);
    // The appointment's event, from personnel to identity's consumer, carried something.
    expect(await page.locator('[data-edge="personnel->identity"]:not(.map-edge-idle)').count()).toBe(1);
    await screenshot(page, '4-service-map');
  });

  it('replays a dead letter from the events page, and identity handles it', async () => {
    const seq = await leaveDeadLetter();
    await nav(page, 'Events');
    const letter = page.locator(`[data-dead-letter="${seq}"]`);
    await until(() => page.reload(), letter, 'the dead letter on the events page');
    expect(await letter.textContent()).toContain('agency E2E-KONSOL of employee');
    await page.locator('[data-live-status="live"]').waitFor();
    await letter.getByRole('button', { name: 'Show' }).click();
    await page.locator('.payload').waitFor();
    expect(await page.locator('.payload').textContent()).toContain(DEAD_NIP);
    expect(await page.locator('[data-consumer="identity-employee-appointed"]').count()).toBe(1);
    await screenshot(page, '5-events');

    await letter.getByRole('button', { name: 'Replay' }).click();
    await page.getByText(`Dead letter #${seq} replayed`).waitFor();
    await expect.poll(() => letter.count()).toBe(0);
    // Handled: identity's consumer opened the employee's account.
    const opened = await eventually(async () => {
      const res = await gql<{ user: { username: string } | null }>('query ($u: String!) { user(username: $u) { username } }', { u: DEAD_NIP }, adminToken);
      return res.data?.user ?? undefined;
    }, 'the replayed appointment to open the account');
    expect(opened.username).toBe(DEAD_NIP);
    await screenshot(page, '5-events-replayed');
  });

  it('shows agency traffic and, with the traffic so far, the overview charts', async () => {
    await nav(page, 'Agency traffic');
    const ours = page.getByRole('region', { name: `${AGENCY} users` });
    await until(() => page.reload(), ours, 'the test agency in the agency traffic');
    expect(await ours.textContent()).toContain('AppointEmployee');
    await screenshot(page, '6-agency-traffic');

    // Every trace of the run so far, with duration bars.
    await page.goto(`${platform.url}/console/#/traces?last=15m`);
    await page.locator('[data-trace-id]').nth(3).waitFor();
    await screenshot(page, '2-traces');

    await nav(page, 'Overview');
    for (const service of ['gateway', 'identity', 'personnel', 'documents', 'registry', 'telemetry'])
      await page.locator(`[data-instance="${service}"]`).first().waitFor();
    // Live: the feed is open, and its snapshot (every 5 s) has filled the last minute's tiles.
    await page.locator('[data-live-status="live"]').waitFor();
    await page.getByRole('region', { name: 'Last minute' }).waitFor();
    await page.locator('.chart-canvas canvas').first().waitFor();
    // An operation made elsewhere appears without a reload.
    const probe = await gql('query LiveProbe { me { username } }', {}, adminToken);
    expect(probe.errors).toBeUndefined();
    await page.getByRole('table', { name: 'Recent operations' }).getByText('LiveProbe').waitFor({ timeout: 20_000 });
    await screenshot(page, '1-overview');
  });

  it("shows the agency event exchange: the catalogue, a failing webhook's health and dead letters, and a refused event with its reason", async () => {
    const agency = agencyClient(() => platform);
    // An e-office that answers 500 to everything: its events end as dead letters.
    const receiver: Server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(500).end('down for maintenance'));
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const declare = 'mutation ($i: DeclareEventTypeInput!) { declareEventType(input: $i) { version } }';
      const schema = JSON.stringify({ type: 'object', required: ['nomor'], properties: { nomor: { type: 'string' } } });
      for (const version of [1, 2]) {
        await mustSucceed(
          declare,
          { i: { agencyCode: AGENCY, name: 'izin.terbit', version, description: `Izin usaha diterbitkan (format ${version}).`, schema } },
          adminToken,
        );
      }
      await mustSucceed(
        'mutation { deprecateEventType(agencyCode: "E2E-KONSOL", name: "izin.terbit", version: 1, reason: "use version 2") { deprecated } }',
        {},
        adminToken,
      );
      const publisher = await agency.apiClient(AGENCY, adminToken, 'Sistem perizinan');
      const eoffice = await agency.apiClient(AGENCY, adminToken, 'E-office');
      await mustSucceed(
        'mutation ($c: String!) { grantEventAccess(agencyCode: "E2E-KONSOL", eventType: "izin.terbit", clientId: $c) { clientId } }',
        { c: eoffice.clientId },
        adminToken,
      );
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      await mustSucceed('mutation ($c: String!, $u: String!) { setEventWebhook(clientId: $c, url: $u) { url } }', { c: eoffice.clientId, u: url }, adminToken);

      expect((await agency.postEvent('izin.terbit', { id: 'izin-1', data: { nomor: '503/1/2026' } }, publisher.token)).status).toBe(202);
      const refused = await agency.postEvent('izin.terbit', { id: 'izin-2', data: { nomer: 'typo' } }, publisher.token);
      expect(refused.status).toBe(400);

      await nav(page, 'Agency events');
      const subscriber = page.locator(`[data-subscriber="${eoffice.clientId}"]`);
      await until(
        () => page.getByRole('button', { name: 'Refresh' }).click(),
        subscriber.getByText('dead letters'),
        "the e-office's webhook parked as a dead letter",
      );
      const row = (await subscriber.textContent()) ?? '';
      expect(row).toContain(`${AGENCY}/izin.terbit@all`);
      expect(row).toContain('HTTP 500');
      expect(row).toContain(url);

      const refusal = page.locator('[data-rejection="izin-2"]');
      await refusal.waitFor();
      expect(await refusal.textContent()).toMatch(/registry.*data does not match the schema/);
      await refusal.getByRole('button', { name: 'Show' }).click();
      expect(await page.locator('.payload').first().textContent()).toContain('typo');

      const catalogue = page.getByRole('table', { name: 'Event type list' });
      expect(await page.locator(`[data-event-type="${AGENCY}/izin.terbit@1"]`).textContent()).toContain('use version 2');
      expect(await page.locator(`[data-event-type="${AGENCY}/izin.terbit@2"]`).textContent()).toMatch(/current\s*1/);
      expect(await catalogue.locator('[data-event-type="*/simpeg.pengangkatan@1"]').textContent()).toContain('platform');
      await screenshot(page, '8-agency-events');
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('gives a user without the role no console data', async () => {
    const other = await browser.newPage();
    await consoleLogin(other, CLERK);
    await other.getByText('FORBIDDEN').first().waitFor();
    expect(await other.locator('[data-instance]').count()).toBe(0);
    await other.locator('[data-live-status="refused"]').waitFor();
    await screenshot(other, '7-no-role');
    await other.close();

    const token = await login(CLERK.username, CLERK.password);
    const traces = await gql('{ traces(first: 5) { totalCount } }', {}, token);
    expect(traces.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const live = await fetch(`${platform.url}/telemetry/live`, { headers: { authorization: `Bearer ${token}` } });
    expect(live.status).toBe(403);
    await live.body?.cancel();
  });
});

/**
 * Leaves a dead letter as identity's appointment consumer would after giving up: an
 * appointment that arrived while the agency was unknown to identity. The agency exists
 * now, so a replay succeeds. Returns its sequence in the dead-letter stream.
 */
async function leaveDeadLetter(): Promise<number> {
  const nc = await connectTestBus(testNatsUrl());
  try {
    const subjects = subjectsFor(platform.namespace);
    await ensureDeadLetterStream(nc, subjects);
    const event = createEvent(subjects, EmployeeAppointed, {
      nip: DEAD_NIP,
      name: 'Dewi Tertunda',
      sex: 'FEMALE',
      birthDate: '1991-05-05',
      asnStatus: 'CPNS',
      agencyCode: AGENCY,
      unitCode: 'SDM',
      rank: 'III/a',
      positionName: 'Analis SDM Aparatur',
      positionType: 'AHLI_PERTAMA',
      effectiveDate: '2021-01-04',
      decreeNumber: 'SK-CPNS/9/2021',
      recordedBy: 'e2e',
    });
    const consumer = 'identity-employee-appointed';
    const h = natsHeaders();
    h.set(DEAD_LETTER_HEADERS.reason, `failed 10 times: agency ${AGENCY} of employee ${DEAD_NIP} is not known here yet`);
    h.set(DEAD_LETTER_HEADERS.subject, event.subject);
    h.set(DEAD_LETTER_HEADERS.consumer, consumer);
    h.set(DEAD_LETTER_HEADERS.deliveries, '10');
    h.set(DEAD_LETTER_HEADERS.streamSeq, '1');
    h.set(DEAD_LETTER_HEADERS.failedAt, new Date().toISOString());
    const ack = await jetstream(nc).publish(subjects.deadLetter(consumer), JSON.stringify(event.payload), { headers: h });
    const info = await (await jetstreamManager(nc)).streams.info(subjects.deadLetterStream);
    expect(info.state.messages).toBeGreaterThan(0);
    return ack.seq;
  } finally {
    await nc.close();
  }
}
