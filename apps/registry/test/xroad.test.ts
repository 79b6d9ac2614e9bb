import { describe, expect, it } from 'vitest';
import { parseServiceId, parseSubsystemId } from '../src/applications/xroad.ts';

describe(parseServiceId.name, () => {
  it.each([
    ['ID/PEMDA/KAB-BANYUWANGI/SIMPEG/employee-lookup/v1', true],
    ['ID/PUSAT/BKN/SIASN/employee-lookup', true],
    ["ID/PUSAT/BKN/SIASN/get(nip)=?+,.'", true],
    ['ID/PEMDA/KAB-BANYUWANGI/SIMPEG', false],
    ['ID/PEMDA/KAB-BANYUWANGI/SIMPEG/a/v1/extra', false],
    ['EE/PEMDA/KAB-BANYUWANGI/SIMPEG/lookup', false],
    ['ID/SWASTA/KAB-BANYUWANGI/SIMPEG/lookup', false],
    ['ID/PEMDA/KAB BANYUWANGI/SIMPEG/lookup', false],
    ['ID/PEMDA//SIMPEG/lookup', false],
    ['ID/PEMDA/KAB-BANYUWANGI/SIMPEG/lookup#1', false],
  ])('%s → valid: %s', (value, valid) => {
    expect(parseServiceId(value).ok).toBe(valid);
  });

  it('splits a valid identifier into its parts', () => {
    expect(parseServiceId('ID/PEMDA/KAB-BANYUWANGI/SIMPEG/employee-lookup/v1')).toEqual({
      ok: true,
      value: { instance: 'ID', memberClass: 'PEMDA', memberCode: 'KAB-BANYUWANGI', subsystemCode: 'SIMPEG', serviceCode: 'employee-lookup', version: 'v1' },
    });
  });

  it('says what is wrong', () => {
    expect(parseServiceId('ID/SWASTA/X1/S/s')).toEqual({ ok: false, reason: 'member class must be one of PUSAT, PEMDA, not "SWASTA"' });
  });
});

describe(parseSubsystemId.name, () => {
  it.each([
    ['ID/PEMDA/KOTA-SURABAYA/EOFFICE', true],
    ['ID/PUSAT/BKN/SIASN', true],
    ['ID/PUSAT/BKN', false],
    ['ID/PUSAT/BKN/SIASN/lookup', false],
  ])('%s → valid: %s', (value, valid) => {
    expect(parseSubsystemId(value).ok).toBe(valid);
  });
});
