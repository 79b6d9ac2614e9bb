import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdentity, type TestIdentity } from './support/identity.ts';
import { errorCodes } from '@simpul/testing';

let identity: TestIdentity;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  identity = await startTestIdentity();
  for (const name of ['admin', 'admin.bkn', 'admin.kemenpanrb', 'hr.banyuwangi', 'pegawai.kominfo', 'auditor']) {
    tokens[name] = await identity.login(name);
  }
});
afterAll(async () => {
  await identity?.close();
});

const as = (name: string) => tokens[name]!;
const CREATE_USER = 'mutation ($input: CreateUserInput!) { createUser(input: $input) { username roles agency { code } unit { code } } }';
const userInput = (overrides: Record<string, unknown>) => ({
  username: 'new.user',
  displayName: 'Pengguna Baru',
  agencyCode: 'BKN',
  roles: ['EMPLOYEE'],
  password: 'a long enough password',
  ...overrides,
});

describe('managing users', () => {
  it('an agency administrator of BKN creates users in BKN but not in KOMINFO', async () => {
    const elsewhere = await identity.gql(CREATE_USER, { input: userInput({ username: 'intruder', agencyCode: 'KOMINFO' }) }, as('admin.bkn'));
    expect(errorCodes(elsewhere)).toEqual(['FORBIDDEN']);
    expect(await identity.service.stores.users.findByUsername('intruder')).toBeNull();

    const home = await identity.gql(
      CREATE_USER,
      { input: userInput({ username: 'Staf.BKN', unitCode: 'DEP.MUTASI', roles: ['HR_OFFICER', 'EMPLOYEE'] }) },
      as('admin.bkn'),
    );
    expect(home.errors).toBeUndefined();
    expect(home.data.createUser).toEqual({ username: 'staf.bkn', roles: ['HR_OFFICER', 'EMPLOYEE'], agency: { code: 'BKN' }, unit: { code: 'DEP.MUTASI' } });

    const again = await identity.gql(CREATE_USER, { input: userInput({ username: 'staf.bkn' }) }, as('admin.bkn'));
    expect(errorCodes(again)).toEqual(['CONFLICT']);
  });

  it('an agency administrator cannot grant NATIONAL_ADMIN or AUDITOR, a national administrator can', async () => {
    for (const role of ['NATIONAL_ADMIN', 'AUDITOR']) {
      const created = await identity.gql(CREATE_USER, { input: userInput({ username: `wants.${role.toLowerCase()}`, roles: [role] }) }, as('admin.bkn'));
      expect(errorCodes(created)).toEqual(['FORBIDDEN']);
    }
    const SET_ROLES = 'mutation ($u: String!, $r: [Role!]!) { setUserRoles(username: $u, roles: $r) { roles } }';
    expect(errorCodes(await identity.gql(SET_ROLES, { u: 'hr.bkn', r: ['NATIONAL_ADMIN'] }, as('admin.bkn')))).toEqual(['FORBIDDEN']);
    expect((await identity.service.stores.users.findByUsername('hr.bkn'))?.roles).toEqual(['HR_OFFICER']);

    const granted = await identity.gql(SET_ROLES, { u: 'hr.bkn', r: ['HR_OFFICER', 'AUDITOR'] }, as('admin'));
    expect(granted.data).toEqual({ setUserRoles: { roles: ['HR_OFFICER', 'AUDITOR'] } });
    // Now that hr.bkn holds a national role, BKN's own administrator no longer manages the account.
    expect(errorCodes(await identity.gql(SET_ROLES, { u: 'hr.bkn', r: ['HR_OFFICER'] }, as('admin.bkn')))).toEqual(['FORBIDDEN']);
    expect((await identity.gql(SET_ROLES, { u: 'hr.bkn', r: ['HR_OFFICER'] }, as('admin'))).data).toEqual({ setUserRoles: { roles: ['HR_OFFICER'] } });
  });

  it("no agency administrator can reset the national administrator's password", async () => {
    const RESET = 'mutation ($u: String!) { resetPassword(username: $u, newPassword: "taken over at last") }';
    expect(errorCodes(await identity.gql(RESET, { u: 'admin' }, as('admin.bkn')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await identity.gql(RESET, { u: 'admin' }, as('admin.kemenpanrb')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await identity.gql(RESET, { u: 'admin' }, as('hr.banyuwangi')))).toEqual(['FORBIDDEN']);
    expect(await identity.login('admin')).toMatch(/^ey/);
  });

  it('an administrator cannot disable themselves', async () => {
    const result = await identity.gql('mutation { setUserStatus(username: "admin.bkn", status: DISABLED) { status } }', {}, as('admin.bkn'));
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
  });

  it('refuses bad input with BAD_USER_INPUT', async () => {
    const cases: Record<string, unknown>[] = [
      { password: 'too short' },
      { agencyCode: 'BKN/../KOMINFO' },
      { username: 'x' },
      { roles: ['API_CLIENT'] },
      { roles: ['KING'] },
      { unitCode: 'no spaces allowed' },
    ];
    for (const overrides of cases) {
      const result = await identity.gql(CREATE_USER, { input: userInput({ username: 'bad.input', ...overrides }) }, as('admin'));
      expect([overrides, errorCodes(result)]).toEqual([overrides, ['BAD_USER_INPUT']]);
    }
    expect(await identity.service.stores.users.findByUsername('bad.input')).toBeNull();
  });

  it('names what is missing with NOT_FOUND', async () => {
    const unit = await identity.gql(CREATE_USER, { input: userInput({ username: 'lost.unit', unitCode: 'NOPE' }) }, as('admin'));
    expect(errorCodes(unit)).toEqual(['NOT_FOUND']);
    expect(unit.errors?.[0]?.message).toBe('BKN has no unit with the code "NOPE"');
    const user = await identity.gql('mutation { unlockUser(username: "no.such.user") { username } }', {}, as('admin'));
    expect(errorCodes(user)).toEqual(['NOT_FOUND']);
  });
});

describe('agencies and units', () => {
  const CREATE_UNIT = 'mutation ($input: CreateUnitInput!) { createUnit(input: $input) { code name agencyCode parent { code } } }';

  it('agency(code) is null for an unknown code', async () => {
    expect(await identity.gql('{ agency(code: "NOPE") { name } }', {}, as('pegawai.kominfo'))).toEqual({ data: { agency: null } });
  });

  it('createUnit for an unknown agency is NOT_FOUND, for an invalid code BAD_USER_INPUT', async () => {
    const unknown = await identity.gql(CREATE_UNIT, { input: { agencyCode: 'NOPE', code: 'SETDA', name: 'Sekretariat' } }, as('admin'));
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
    expect(unknown.errors?.[0]?.message).toBe('No agency has the code "NOPE"');
    const invalid = await identity.gql(CREATE_UNIT, { input: { agencyCode: 'has space', code: 'SETDA', name: 'Sekretariat' } }, as('admin'));
    expect(errorCodes(invalid)).toEqual(['BAD_USER_INPUT']);
    expect(invalid.errors?.[0]?.message).toContain('agency code');
  });

  it('an agency administrator creates units in their own agency only', async () => {
    const mine = await identity.gql(
      CREATE_UNIT,
      { input: { agencyCode: 'BKN', code: 'SETTAMA.TI', name: 'Pusat Teknologi Informasi', parentCode: 'SETTAMA' } },
      as('admin.bkn'),
    );
    expect(mine.data).toEqual({ createUnit: { code: 'SETTAMA.TI', name: 'Pusat Teknologi Informasi', agencyCode: 'BKN', parent: { code: 'SETTAMA' } } });
    const theirs = await identity.gql(CREATE_UNIT, { input: { agencyCode: 'KOMINFO', code: 'X', name: 'X' } }, as('admin.bkn'));
    expect(errorCodes(theirs)).toEqual(['FORBIDDEN']);
    const duplicate = await identity.gql(CREATE_UNIT, { input: { agencyCode: 'BKN', code: 'SETTAMA.TI', name: 'Again' } }, as('admin.bkn'));
    expect(errorCodes(duplicate)).toEqual(['CONFLICT']);
  });

  it('only a national administrator creates agencies or rotates keys', async () => {
    const create = await identity.gql(
      'mutation { createAgency(input: { code: "KAB-SLEMAN", name: "Kabupaten Sleman", kind: REGENCY, parentCode: "PROV-DIY" }) { code } }',
      {},
      as('admin.bkn'),
    );
    expect(errorCodes(create)).toEqual(['FORBIDDEN']);
    expect(errorCodes(await identity.gql('mutation { rotateSigningKey { kid } }', {}, as('admin.bkn')))).toEqual(['FORBIDDEN']);
    const invalid = await identity.gql('mutation { createAgency(input: { code: "has/slash", name: "X", kind: AGENCY }) { code } }', {}, as('admin'));
    expect(errorCodes(invalid)).toEqual(['BAD_USER_INPUT']);
    const badParent = await identity.gql(
      'mutation { createAgency(input: { code: "KAB-X", name: "X", kind: REGENCY, parentCode: "BKN" }) { code } }',
      {},
      as('admin'),
    );
    expect(errorCodes(badParent)).toEqual(['BAD_USER_INPUT']);
  });

  it('reads the agency tree and unit trees', async () => {
    const result = await identity.gql(
      `{ agencies(kind: PROVINCE) { code children { code parent { code } } }
         agency(code: "BKN") { kind units { code } unit(code: "SETTAMA") { name children { code } parent { code } } } }`,
      {},
      as('pegawai.kominfo'),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.agencies).toEqual([
      { code: 'PROV-DIY', children: [{ code: 'KOTA-YOGYAKARTA', parent: { code: 'PROV-DIY' } }] },
      { code: 'PROV-JATENG', children: [] },
      {
        code: 'PROV-JATIM',
        children: ['KAB-BANYUWANGI', 'KAB-BOJONEGORO', 'KOTA-SURABAYA'].map((code) => ({ code, parent: { code: 'PROV-JATIM' } })),
      },
    ]);
    expect(result.data.agency.kind).toBe('AGENCY');
    expect(result.data.agency.units.map((u: { code: string }) => u.code)).toContain('SETTAMA.SDM');
    const settama = result.data.agency.unit;
    expect(settama.name).toBe('Sekretariat Utama');
    expect(settama.parent).toBeNull();
    // SETTAMA.TI is added by another test of this file.
    expect(settama.children.map((c: { code: string }) => c.code).filter((c: string) => c !== 'SETTAMA.TI')).toEqual([
      'SETTAMA.HUKUM',
      'SETTAMA.SDM',
      'SETTAMA.UMUM',
    ]);
  });

  it('agencies and their units are public, users are not', async () => {
    const result = await identity.gql('{ agencies(kind: CITY) { code parent { code } units { code } } agency(code: "BKN") { name } }');
    expect(result.errors).toBeUndefined();
    expect(result.data.agencies.map((a: { code: string }) => a.code).sort()).toEqual(['KOTA-SURABAYA', 'KOTA-YOGYAKARTA']);
    expect(result.data.agency.name).toBe('Badan Kepegawaian Negara');
    expect(errorCodes(await identity.gql('{ users { totalCount } }'))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await identity.gql('{ usersByIds(ids: ["00000000-0000-0000-0000-000000000000"]) { id } }'))).toEqual(['UNAUTHENTICATED']);
  });

  it('agenciesByCodes keeps the order of the codes and gives null for unknown ones', async () => {
    const result = await identity.gql('{ agenciesByCodes(codes: ["KOTA-SURABAYA", "NOPE", "BKN", "KOTA-SURABAYA"]) { code name } }', {}, as('pegawai.kominfo'));
    expect(result.data.agenciesByCodes).toEqual([
      { code: 'KOTA-SURABAYA', name: 'Kota Surabaya' },
      null,
      { code: 'BKN', name: 'Badan Kepegawaian Negara' },
      { code: 'KOTA-SURABAYA', name: 'Kota Surabaya' },
    ]);
  });
});

describe('reading users', () => {
  const USERS =
    'query ($a: String, $f: Int, $after: String) { users(agencyCode: $a, first: $f, after: $after) { totalCount edges { cursor node { username } } pageInfo { hasNextPage endCursor } } }';

  it('pages with first/after, totalCount and hasNextPage', async () => {
    const first = await identity.gql(USERS, { a: 'KAB-BANYUWANGI', f: 2 }, as('admin'));
    expect(first.errors).toBeUndefined();
    expect(first.data.users.totalCount).toBe(3);
    expect(first.data.users.edges.map((e: { node: { username: string } }) => e.node.username)).toEqual(['admin.kab-banyuwangi', 'arsip.banyuwangi']);
    expect(first.data.users.pageInfo).toEqual({ hasNextPage: true, endCursor: first.data.users.edges[1].cursor });

    const second = await identity.gql(USERS, { a: 'KAB-BANYUWANGI', f: 2, after: first.data.users.pageInfo.endCursor }, as('admin'));
    expect(second.data.users.edges.map((e: { node: { username: string } }) => e.node.username)).toEqual(['hr.banyuwangi']);
    expect(second.data.users.pageInfo.hasNextPage).toBe(false);
    expect(second.data.users.totalCount).toBe(3);
  });

  it('refuses page sizes outside 1-100 and foreign cursors', async () => {
    for (const variables of [{ f: 0 }, { f: 101 }, { after: 'bm90LWEtY3Vyc29y' }]) {
      expect(errorCodes(await identity.gql(USERS, variables, as('admin')))).toEqual(['BAD_USER_INPUT']);
    }
    for (let i = 1; i <= 6; i++) {
      await identity.service.stores.users.create({
        username: `filler.${i}`,
        displayName: `Filler ${i}`,
        agencyCode: 'SETNEG',
        unitId: null,
        roles: ['EMPLOYEE'],
        passwordHash: null,
      });
    }
    const total = await identity.service.prisma.user.count();
    expect(total).toBeGreaterThan(20);
    const defaults = await identity.gql(USERS, {}, as('admin'));
    expect(defaults.data.users.totalCount).toBe(total);
    expect(defaults.data.users.edges).toHaveLength(20);
    expect(defaults.data.users.pageInfo.hasNextPage).toBe(true);
  });

  it('HR officers and agency administrators see their own agency, auditors all, employees none', async () => {
    const own = await identity.gql(USERS, {}, as('hr.banyuwangi'));
    expect(own.data.users.totalCount).toBe(3);
    expect(errorCodes(await identity.gql(USERS, { a: 'BKN' }, as('hr.banyuwangi')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await identity.gql(USERS, {}, as('pegawai.kominfo')))).toEqual(['FORBIDDEN']);
    const all = await identity.gql(USERS, {}, as('auditor'));
    expect(all.data.users.totalCount).toBe(await identity.service.prisma.user.count());
  });

  it('usersByIds keeps order and gives null for unknown ids', async () => {
    const hr = await identity.service.stores.users.findByUsername('hr.banyuwangi');
    const admin = await identity.service.stores.users.findByUsername('admin');
    const result = await identity.gql(
      'query ($ids: [ID!]!) { usersByIds(ids: $ids) { username unit { code } } }',
      { ids: [admin!.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid', hr!.id] },
      // An auditor sees every account (who sees which: user-visibility.test.ts).
      as('auditor'),
    );
    expect(result.data.usersByIds).toEqual([{ username: 'admin', unit: null }, null, null, { username: 'hr.banyuwangi', unit: { code: 'BKPSDM' } }]);
  });
});
