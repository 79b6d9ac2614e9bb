import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subjectsFor } from '@simpul/contracts';
import { hashPassword, verifyPassword } from '../src/auth/password.ts';
import { seedDemoData } from '../src/seed/seed.ts';
import { startTestDatabase, type TestDatabase } from './support/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(async () => {
  await db?.cleanUp();
});

async function counts() {
  const { prisma } = db;
  return {
    agencies: await prisma.agency.count(),
    units: await prisma.unit.count(),
    users: await prisma.user.count(),
    events: await prisma.outboxEvent.count(),
  };
}

describe(seedDemoData.name, () => {
  it('loads the demo agencies, units and users, and a second run changes nothing', async () => {
    let hashes = 0;
    const options = {
      subjects: subjectsFor('tseed'),
      passwordHash: () => {
        hashes++;
        return hashPassword('demo password 123');
      },
    };
    const first = await seedDemoData(db.prisma, options);
    expect(first).toMatchObject({ agenciesCreated: 11, agenciesUpdated: 0, usersCreated: 17 });
    expect(hashes).toBe(1);
    const afterFirst = await counts();
    expect(afterFirst).toEqual({ agencies: 11, units: first.unitsWritten, users: 17, events: 11 });

    // The operators' console's demo account.
    expect(await db.prisma.user.findUnique({ where: { username: 'operator' }, select: { roles: true } })).toEqual({ roles: ['OPERATOR'] });

    const second = await seedDemoData(db.prisma, options);
    expect(second).toEqual({ agenciesCreated: 0, agenciesUpdated: 0, unitsWritten: 0, usersCreated: 0 });
    expect(hashes).toBe(1);
    expect(await counts()).toEqual(afterFirst);
  });

  it('holds the nine agencies of the domain notes, with their kinds and provinces', async () => {
    const agencies = await db.prisma.agency.findMany({ orderBy: { code: 'asc' } });
    const byCode = new Map(agencies.map((a) => [a.code, a]));
    const expected: [string, string, string, string | null][] = [
      ['KEMENPANRB', 'Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi', 'MINISTRY', null],
      ['KOMINFO', 'Kementerian Komunikasi dan Informatika', 'MINISTRY', null],
      ['SETNEG', 'Kementerian Sekretariat Negara', 'MINISTRY', null],
      ['BKN', 'Badan Kepegawaian Negara', 'AGENCY', null],
      ['PROV-JATENG', 'Provinsi Jawa Tengah', 'PROVINCE', null],
      ['KAB-BANYUWANGI', 'Kabupaten Banyuwangi', 'REGENCY', 'PROV-JATIM'],
      ['KAB-BOJONEGORO', 'Kabupaten Bojonegoro', 'REGENCY', 'PROV-JATIM'],
      ['KOTA-SURABAYA', 'Kota Surabaya', 'CITY', 'PROV-JATIM'],
      ['KOTA-YOGYAKARTA', 'Kota Yogyakarta', 'CITY', 'PROV-DIY'],
    ];
    for (const [code, name, kind, parentCode] of expected) {
      const agency = byCode.get(code);
      expect({ code, name: agency?.name, kind: agency?.kind, parentCode: agency?.parentCode }).toEqual({ code, name, kind, parentCode });
    }
    expect(byCode.get('PROV-JATIM')?.kind).toBe('PROVINCE');
    expect(byCode.get('PROV-DIY')?.kind).toBe('PROVINCE');
  });

  it('gives every agency a unit tree and every agency an administrator', async () => {
    const units = await db.prisma.unit.findMany({ where: { agencyCode: 'KAB-BANYUWANGI' }, include: { parent: true } });
    const umum = units.find((u) => u.code === 'SETDA.UMUM');
    expect(umum?.parent?.code).toBe('SETDA');
    expect(units.map((u) => u.code)).toEqual(expect.arrayContaining(['SETDA', 'BKPSDM', 'DISKOMINFO', 'DINKES']));
    for (const agency of await db.prisma.agency.findMany()) {
      const admin = await db.prisma.user.findUnique({ where: { username: `admin.${agency.code.toLowerCase()}` } });
      expect([agency.code, admin?.roles]).toEqual([agency.code, ['AGENCY_ADMIN']]);
      expect(await db.prisma.unit.count({ where: { agencyCode: agency.code } })).toBeGreaterThanOrEqual(5);
    }
    const hr = await db.prisma.user.findUnique({ where: { username: 'hr.banyuwangi' }, include: { unit: true } });
    expect([hr?.roles, hr?.unit?.code]).toEqual([['HR_OFFICER'], 'BKPSDM']);
    expect(await verifyPassword('demo password 123', hr!.passwordHash!)).toBe(true);
  });
});
