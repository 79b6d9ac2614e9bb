import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, queryDatabase, startPrivatePostgres, uniqueSuffix, type PrivatePostgres } from '@simpul/testing';
import { startTestIdentity, type TestIdentity } from '../support/identity.ts';

/**
 * Fault: PostgreSQL itself restarts under a stream of writes. Identity runs on a
 * PostgreSQL cluster of the test's own (the machine's server is shared and must not be
 * restarted); a writer creates agencies one after the other, each a row and an outbox
 * event. The server is stopped as if it crashed (`pg_ctl -m immediate`), left down until
 * writes have been refused, and started again. Expected: every write acknowledged is
 * there afterwards and its event is in the stream once; a write during the outage fails
 * with SERVICE_UNAVAILABLE (reason `database`), which the writer retries; no other error.
 */
let postgres: PrivatePostgres | undefined;
let identity: TestIdentity | undefined;
let database: string;

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  database = `${postgres.url}/simpul_identity_restart_${uniqueSuffix()}`;
  identity = await startTestIdentity({ DATABASE_URL: database, DATABASE_TIMEOUT_MS: '2000' });
}, 180_000);
afterAll(async () => {
  await identity?.close().catch(() => undefined); // its cleanUp drops a database on the shared server, which has none of that name
  await postgres?.destroy();
}, 120_000);

interface Attempt {
  code: string;
  outcome: 'acknowledged' | 'refused' | 'duplicate';
  error?: { code: string | undefined; reason: unknown; message: string };
}

describe('PostgreSQL restarts while agencies are being created', () => {
  it('loses no acknowledged write and refuses writes meanwhile with a retryable error', { timeout: 300_000 }, async () => {
    const service = identity!;
    const admin = await service.login('admin');
    const attempts: Attempt[] = [];
    const acknowledged = () => attempts.filter((a) => a.outcome === 'acknowledged').length;
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const code = `KOTA-PGR-${i}`;
        // A refused write is sent again until it goes through, as a client told "retry" does.
        for (let retry = false; ; retry = true) {
          const result = await service.gql(`mutation { createAgency(input: { code: "${code}", name: "Kota Uji ${i}", kind: CITY }) { code } }`, {}, admin);
          const error = result.errors?.[0];
          if (!error) {
            attempts.push({ code, outcome: 'acknowledged' });
            break;
          }
          const seen = { code: error.extensions?.code, reason: error.extensions?.reason, message: error.message };
          // A retry that finds the agency there: the refused attempt had committed after all (the
          // crash came between the commit and the answer). Not lost; recorded and checked below.
          if (retry && seen.code === 'CONFLICT') {
            attempts.push({ code, outcome: 'duplicate', error: seen });
            break;
          }
          attempts.push({ code, outcome: 'refused', error: seen });
          if (seen.code !== 'SERVICE_UNAVAILABLE') return; // anything else fails the test below
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    })();

    await eventually(() => (acknowledged() >= 20 ? true : undefined), '20 agencies created', 120_000);
    const atCrash = acknowledged();
    await postgres!.stop('immediate');
    await eventually(() => (attempts.some((a) => a.outcome === 'refused') ? true : undefined), 'a write refused during the outage', 60_000);
    await postgres!.start();
    await eventually(() => (acknowledged() >= atCrash + 20 ? true : undefined), '20 more agencies after the restart', 120_000);
    stop = true;
    await writer;

    const refused = attempts.filter((a) => a.outcome === 'refused');
    const duplicates = attempts.filter((a) => a.outcome === 'duplicate');
    const written = [...new Set(attempts.filter((a) => a.outcome !== 'refused').map((a) => a.code))];
    console.info(
      `[observed] PostgreSQL crashed (immediate stop) after ${atCrash} acknowledged writes and started again: ` +
        `${acknowledged()} acknowledged, ${refused.length} refused during the outage ` +
        `(${[...new Set(refused.map((r) => `${r.error?.code}/${String(r.error?.reason)}`))].join(', ')}), ` +
        `${duplicates.length} found written on retry`,
    );
    // Refused writes say the database is away and that retrying makes sense; nothing else goes wrong.
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'database', message: expect.stringMatching(/try again/) });

    // Every write the writer saw succeed (or found on retry) is in the database after the restart.
    const rows = await queryDatabase<{ code: string }>(database, `SELECT code FROM "Agency" WHERE code LIKE 'KOTA-PGR-%'`);
    expect(rows.map((r) => r.code).sort()).toEqual(written.sort());

    // And its event left through the outbox, once each.
    await eventually(
      async () => ((await queryDatabase(database, 'SELECT 1 FROM "OutboxEvent" WHERE "publishedAt" IS NULL')).length === 0 ? true : undefined),
      'the outbox to be published',
      120_000,
    );
    const events = await queryDatabase<{ code: string }>(
      database,
      `SELECT payload->'data'->>'code' AS code FROM "OutboxEvent" WHERE type = 'identity.agency.created' AND payload->'data'->>'code' LIKE 'KOTA-PGR-%'`,
    );
    expect(events.map((e) => e.code).sort()).toEqual(written.sort());
    const subject = service.service.subjects.event('identity', 'agency', 'created');
    // JetStream's API over plain NATS (identity does not depend on the JetStream client itself).
    const reply = await service.client.request(`$JS.API.STREAM.INFO.${service.service.subjects.eventStream}`, JSON.stringify({ subjects_filter: subject }), {
      timeout: 15_000,
    });
    const info = reply.json<{ state: { subjects?: Record<string, number> } }>();
    const [all] = await queryDatabase<{ n: string }>(database, `SELECT count(*) AS n FROM "OutboxEvent" WHERE type = 'identity.agency.created'`);
    expect(info.state.subjects?.[subject]).toBe(Number(all!.n));
  });
});
