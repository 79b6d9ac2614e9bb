import { describe, expect, it } from 'vitest';
import { AgencyCode, subjectsFor, subjectToken } from '../src/index.ts';

describe(subjectsFor.name, () => {
  it('names every subject under one namespace', () => {
    const s = subjectsFor();
    expect([s.graphql('identity'), s.sdl('personnel'), s.health('registry'), s.jwks]).toEqual([
      'simpul.identity.graphql',
      'simpul.personnel.sdl',
      'simpul.registry.health',
      'simpul.identity.jwks',
    ]);
    expect(s.event('personnel', 'employee', 'transferred')).toBe('simpul.evt.personnel.employee.transferred');
    expect(s.allEvents).toBe('simpul.evt.>');
    expect(s.external('3510')).toBe('simpul.ext.3510.>');
    expect(s.eventStream).toBe('SIMPUL_EVENTS');
    expect(subjectsFor('t-1').eventStream).toBe('T_1_EVENTS');
  });

  it('refuses a namespace that would break subjects', () => {
    expect(() => subjectsFor('a.b')).toThrow(/Invalid NATS namespace/);
    expect(() => subjectsFor('a>')).toThrow();
  });

  it('refuses an agency code or instance id that would nest or widen subjects', () => {
    const s = subjectsFor();
    for (const code of ['KOMINFO.PUSDATIN', 'KOMINFO.*', '>', '']) {
      expect(() => s.external(code)).toThrow(/Invalid agency code/);
      expect(() => s.externalInboxPrefix(code)).toThrow(/Invalid agency code/);
    }
    expect(() => s.instance('identity', 'a.b')).toThrow(/Invalid instance id/);
  });
});

describe(subjectToken.name, () => {
  it.each(['KAB-BANYUWANGI', 'simpul', 't_1'])('accepts %s', (token) => expect(subjectToken(token, 'x')).toBe(token));
  it.each(['a.b', 'a*', 'a>', 'a b', '', 'a\nb'])('refuses %j', (token) => expect(() => subjectToken(token, 'x')).toThrow(/Invalid x/));
});

describe('AgencyCode', () => {
  it.each(['KEMENPANRB', 'KAB-BANYUWANGI', '3510'])('accepts the X-Road member code %s', (code) => {
    expect(AgencyCode.safeParse(code).success).toBe(true);
  });
  // '.' nests NATS subjects (KOMINFO.PUSDATIN under KOMINFO's permissions); lower case makes twins.
  it.each(['', 'A', 'has space', 'a/b', 'X'.repeat(33), 'KOTA*', 'KOMINFO.PUSDATIN', 'kominfo', "A'(B)+,=?"])('refuses %j', (code) => {
    expect(AgencyCode.safeParse(code).success).toBe(false);
  });
});
