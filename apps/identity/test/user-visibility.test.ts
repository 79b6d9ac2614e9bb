import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMergedFields } from '@simpul/testing';
import { typeDefs } from '../src/schema/type-defs.ts';
import { startTestIdentity, type TestIdentity } from './support/identity.ts';

// An account's roles, status and last login are for its owner and for those who manage
// or oversee its agency's accounts, not for every logged-in user.
let identity: TestIdentity;

beforeAll(async () => {
  identity = await startTestIdentity();
});
afterAll(async () => {
  await identity?.close();
});

const USER = 'query ($u: String!) { user(username: $u) { username roles status lastLoginAt agency { code } } }';
const BY_ID = 'query ($ids: [ID!]!) { usersByIds(ids: $ids) { username roles } }';

async function sees(viewer: string, username: string): Promise<boolean> {
  const result = await identity.gql(USER, { u: username }, await identity.login(viewer));
  expect(result.errors).toBeUndefined();
  return result.data.user !== null;
}

describe('user(username)', () => {
  it.each([
    ['the user themselves', 'hr.bkn', true],
    ['the agency administrator of the user’s agency', 'admin.bkn', true],
    ['an HR officer of the user’s agency (who may list its users)', 'hr.bkn', true],
    ['a national administrator', 'admin', true],
    ['an auditor', 'auditor', true],
    ['an agency administrator of another agency', 'admin.kominfo', false],
    ['an HR officer of another agency', 'hr.banyuwangi', false],
    ['an ordinary employee of another agency', 'pegawai.kominfo', false],
  ])('%s: %s sees hr.bkn → %s', async (_who, viewer, visible) => {
    expect(await sees(viewer, 'hr.bkn')).toBe(visible);
  });

  it('an employee does not see a colleague’s account in their own agency; an unknown name reads the same as a hidden one', async () => {
    const created = await identity.gql(
      'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
      {
        i: { username: 'rekan.kominfo', displayName: 'Rekan', agencyCode: 'KOMINFO', roles: ['EMPLOYEE'], password: identity.password },
      },
      await identity.login('admin'),
    );
    expect(created.errors).toBeUndefined();
    expect(await sees('pegawai.kominfo', 'rekan.kominfo')).toBe(false);
    expect(await sees('pegawai.kominfo', 'no.such.user')).toBe(false);
    expect(await sees('pegawai.kominfo', 'pegawai.kominfo')).toBe(true);
  });

  it('the batched lookup by id hides the same accounts', async () => {
    const hr = await identity.service.stores.users.findByUsername('hr.bkn');
    const employee = await identity.login('pegawai.kominfo');
    expect((await identity.gql(BY_ID, { ids: [hr!.id] }, employee)).data).toEqual({ usersByIds: [null] });
    expect((await identity.gql(BY_ID, { ids: [hr!.id] }, await identity.login('admin.bkn'))).data).toEqual({
      usersByIds: [{ username: 'hr.bkn', roles: ['HR_OFFICER'] }],
    });
  });
});

describe('merged fields (issue 16: every merged field asked without a token)', () => {
  // Agencies and their units are public by design (AgencyManager: a login page and a
  // printed letter's verification name them); every other merged field needs a caller.
  const PUBLIC = /^(Agency|Unit)\./;
  let keys: Record<string, unknown>;
  const ask = (token?: string) => (query: string, variables: Record<string, unknown>) => identity.gql(query, variables, token);

  beforeAll(async () => {
    const admin = await identity.login('admin');
    const found = await identity.gql('{ user(username: "hr.bkn") { id } agency(code: "BKN") { units { code } } }', {}, admin);
    // Employee.user joins on the NIP, which is the account's user name.
    keys = { Agency: 'BKN', Unit: { agencyCode: 'BKN', code: found.data.agency.units[0].code }, User: found.data.user.id, Employee: 'hr.bkn' };
  });

  it('answers none but the public agency structure without a token', async () => {
    const reads = await readMergedFields(typeDefs, keys, ask());
    expect(reads.map((r) => r.field)).toEqual(expect.arrayContaining(['User.roles', 'User.lastLoginAt', 'Employee.user', 'Agency.units']));
    expect(reads.filter((r) => r.value !== null && !PUBLIC.test(r.field)).map((r) => r.field)).toEqual([]);
  });

  it('answers each of them to a national administrator', async () => {
    const reads = await readMergedFields(typeDefs, keys, ask(await identity.login('admin')));
    expect(reads.filter((r) => r.value !== null).map((r) => r.field)).toEqual(
      expect.arrayContaining(['User.roles', 'User.displayName', 'Employee.user', 'Agency.units']),
    );
  });
});
