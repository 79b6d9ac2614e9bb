import { describe, expect, it } from 'vitest';
import { AgencyCode, subjectsFor } from '../src/index.ts';

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
});

describe('AgencyCode', () => {
  it.each(['KEMENPANRB', 'KAB-BANYUWANGI', '3510', "A'(B)+,-.=?"])('accepts the X-Road member code %s', (code) => {
    expect(AgencyCode.safeParse(code).success).toBe(true);
  });
  it.each(['', 'A', 'has space', 'a/b', 'x'.repeat(33), 'kota*'])('refuses %j', (code) => {
    expect(AgencyCode.safeParse(code).success).toBe(false);
  });
});
