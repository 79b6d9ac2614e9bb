import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EMPLOYEES } from '@simpul/contracts/demo';
import { postGraphQL } from '@simpul/testing';
import { startPlatform, type Platform } from './platform.ts';

// Demo mode, as `npm start` runs it: personnel loads the demo employees and identity
// opens an account for each from their employee.appointed events.
let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform({ SIMPUL_DEMO: 'true' }, { services: ['identity', 'personnel'] });
});
afterAll(async () => {
  await platform?.stop();
});

describe('demo employees', () => {
  it('get accounts: a seeded civil servant logs in with the demo password and sees their record and agency', async () => {
    // The last one appointed is among the last events identity handles.
    const demo = DEMO_EMPLOYEES.at(-1)!;
    const deadline = Date.now() + 120_000;
    let token: string | undefined;
    while (!token && Date.now() < deadline) {
      const login = await postGraphQL<{ login: { token: string } }>(
        platform.url,
        'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
        {
          u: demo.nip,
          p: platform.adminPassword,
        },
      );
      token = login.body.data?.login.token;
      if (!token) await new Promise((r) => setTimeout(r, 250));
    }
    expect(token, `${demo.nip} could not log in`).toBeTruthy();
    const me = await postGraphQL<{ me: unknown }>(
      platform.url,
      '{ me { username agency { code } employee { name rank { code } position { type } careerHistory { kind } agency { name } } } }',
      {},
      token,
    );
    expect(me.body.errors).toBeUndefined();
    expect(me.body.data?.me).toMatchObject({
      username: demo.nip,
      agency: { code: demo.agencyCode },
      employee: {
        name: demo.name,
        rank: { code: demo.rank },
        position: { type: demo.positionType },
        careerHistory: demo.history.map((h) => ({ kind: h.kind })),
      },
    });
    // Identity works through 600-odd appointment events first; measured 28-35 s here.
  }, 150_000);

  it('an HR officer of the demo data sees their agency’s headcount', async () => {
    const login = await postGraphQL<{ login: { token: string } }>(
      platform.url,
      'mutation ($p: String!) { login(username: "hr.bkn", password: $p) { token } }',
      { p: platform.adminPassword },
    );
    const token = login.body.data!.login.token;
    const result = await postGraphQL<{ employeeHeadcount: { total: number } }>(platform.url, '{ employeeHeadcount(agencyCode: "BKN") { total } }', {}, token);
    expect(result.body.data?.employeeHeadcount.total).toBe(DEMO_EMPLOYEES.filter((e) => e.agencyCode === 'BKN').length);
  });
});
