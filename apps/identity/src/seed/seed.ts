import { createEvent } from '@simpul/bus';
import { AgencyCreated, AgencyUpdated, type Subjects } from '@simpul/contracts';
import type { PrismaClient } from '../db.ts';
import { AgencyStore } from '../agencies/agency-store.ts';
import { eventData } from '../agencies/agency-manager.ts';
import { UserStore } from '../users/user-store.ts';
import { DEMO_AGENCIES, DEMO_USERS, type DemoUnit } from './demo-data.ts';

export interface SeedOptions {
  subjects: Subjects;
  /** The hash demo users get; called at most once, and only when a user is missing. */
  passwordHash: () => Promise<string>;
}

export interface SeedSummary {
  agenciesCreated: number;
  agenciesUpdated: number;
  unitsWritten: number;
  usersCreated: number;
}

/**
 * Loads the demo agencies, units and users. Idempotent: a second run changes nothing.
 * New or changed agencies get their events in the outbox like any other change, so
 * the other services learn them. Existing users are left alone (their passwords and
 * roles may have been changed on purpose).
 */
export async function seedDemoData(prisma: PrismaClient, options: SeedOptions): Promise<SeedSummary> {
  const agencies = new AgencyStore(prisma);
  const users = new UserStore(prisma);
  const summary: SeedSummary = { agenciesCreated: 0, agenciesUpdated: 0, unitsWritten: 0, usersCreated: 0 };

  for (const { units, ...agency } of DEMO_AGENCIES) {
    const current = await agencies.findByCode(agency.code);
    if (!current) {
      const result = await agencies.create(agency, createEvent(options.subjects, AgencyCreated, agency));
      if (result.ok) summary.agenciesCreated++;
    } else if (current.name !== agency.name || current.kind !== agency.kind || current.parentCode !== agency.parentCode) {
      const { code, ...changes } = agency;
      await agencies.update(code, changes, (row) => createEvent(options.subjects, AgencyUpdated, eventData(row)));
      summary.agenciesUpdated++;
    }
    summary.unitsWritten += await seedUnits(prisma, agency.code, units, null);
  }

  let hash: Promise<string> | undefined;
  for (const demo of DEMO_USERS) {
    if (await users.findByUsername(demo.username)) continue;
    const unit = demo.unitCode ? await prisma.unit.findUnique({ where: { agencyCode_code: { agencyCode: demo.agencyCode, code: demo.unitCode } } }) : null;
    hash ??= options.passwordHash();
    const result = await users.create({
      username: demo.username,
      displayName: demo.displayName,
      agencyCode: demo.agencyCode,
      unitId: unit?.id ?? null,
      roles: demo.roles,
      passwordHash: await hash,
    });
    if (result.ok) summary.usersCreated++;
  }
  return summary;
}

/** Creates missing units and corrects names and parents; returns how many rows it wrote. */
async function seedUnits(prisma: PrismaClient, agencyCode: string, units: DemoUnit[], parentId: string | null): Promise<number> {
  let written = 0;
  for (const unit of units) {
    const key = { agencyCode_code: { agencyCode, code: unit.code } };
    let row = await prisma.unit.findUnique({ where: key });
    if (!row || row.name !== unit.name || row.parentId !== parentId) {
      row = await prisma.unit.upsert({
        where: key,
        create: { agencyCode, code: unit.code, name: unit.name, parentId },
        update: { name: unit.name, parentId },
      });
      written++;
    }
    written += await seedUnits(prisma, agencyCode, unit.children ?? [], row.id);
  }
  return written;
}
