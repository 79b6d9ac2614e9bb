import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditServer } from 'graphql-http';
import { startHarness } from './harness.ts';
import { identityStandIn } from './stand-ins.ts';

let h: Awaited<ReturnType<typeof startHarness>>;
beforeAll(async () => {
  h = await startHarness([identityStandIn]);
});
afterAll(async () => {
  await h?.stop();
});

it('passes the whole GraphQL over HTTP audit (graphql-http): every MUST and every SHOULD', async () => {
  const results = await auditServer({ url: `${h.url}/graphql` });
  const failures = results.filter((r) => r.status === 'error').map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
  expect(failures).toEqual([]);
  expect(results.filter((r) => r.status === 'warn').map((r) => `${r.id} ${r.name}`)).toEqual([]);
  expect(results.filter((r) => r.status === 'ok').length).toBe(results.length);
});
