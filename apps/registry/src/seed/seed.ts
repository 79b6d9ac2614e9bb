import { createEvent, writeOutboxEvent } from '@simpul/bus';
import { ApplicationRegistered, ApplicationUpdated, type Subjects } from '@simpul/contracts';
import type { PrismaClient } from '../db.ts';
import { DEMO_ACCESS_RIGHTS, DEMO_ADOPTIONS, demoApplications } from './demo-data.ts';

export interface SeedOptions {
  subjects: Subjects;
}

export interface SeedSummary {
  applicationsCreated: number;
  adoptionsCreated: number;
  accessRightsCreated: number;
}

/**
 * Loads the demo catalogue, adoptions and access rights. Idempotent: entries that exist
 * (by agency and name) are left alone, since they may have been changed on purpose. New
 * applications announce themselves like any other, so the duplicate analysis runs.
 */
export async function seedDemoData(prisma: PrismaClient, options: SeedOptions): Promise<SeedSummary> {
  const summary: SeedSummary = { applicationsCreated: 0, adoptionsCreated: 0, accessRightsCreated: 0 };
  const demo = demoApplications();
  for (const { services, template: _template, ...app } of demo) {
    const exists = await prisma.application.findUnique({ where: { ownerAgencyCode_name: { ownerAgencyCode: app.ownerAgencyCode, name: app.name } } });
    if (exists) continue;
    await prisma.$transaction(async (tx) => {
      const row = await tx.application.create({ data: { ...app, designatedAt: app.kind === 'UMUM' ? new Date('2026-01-02T00:00:00Z') : null } });
      if (services.length) await tx.exposedService.createMany({ data: services.map((s) => ({ ...s, applicationId: row.id })) });
      await writeOutboxEvent(tx, createEvent(options.subjects, ApplicationRegistered, { id: row.id, ownerAgencyCode: row.ownerAgencyCode, name: row.name }));
    });
    summary.applicationsCreated++;
  }

  for (const adoption of DEMO_ADOPTIONS) {
    const common = await prisma.application.findFirst({ where: { name: adoption.common, kind: 'UMUM' } });
    if (!common) continue;
    const key = { commonApplicationId_agencyCode: { commonApplicationId: common.id, agencyCode: adoption.agencyCode } };
    if (await prisma.adoption.findUnique({ where: key })) continue;
    const names = demo.filter((d) => d.ownerAgencyCode === adoption.agencyCode && d.template && adoption.retires.includes(d.template)).map((d) => d.name);
    await prisma.$transaction(async (tx) => {
      await tx.adoption.create({ data: { commonApplicationId: common.id, agencyCode: adoption.agencyCode, state: adoption.state, updatedBy: 'demo' } });
      for (const name of names) {
        const row = await tx.application.update({
          where: { ownerAgencyCode_name: { ownerAgencyCode: adoption.agencyCode, name } },
          data: { replacedById: common.id, ...(adoption.state === 'ADOPTED' ? { status: 'RETIRED' as const } : {}) },
        });
        await writeOutboxEvent(tx, createEvent(options.subjects, ApplicationUpdated, { id: row.id, ownerAgencyCode: row.ownerAgencyCode, name: row.name }));
      }
    });
    summary.adoptionsCreated++;
  }

  for (const right of DEMO_ACCESS_RIGHTS) {
    const service = await prisma.exposedService.findUnique({ where: { identifier: right.service } });
    if (!service) continue;
    const where = { serviceId_clientSubsystem: { serviceId: service.id, clientSubsystem: right.client } };
    if (await prisma.accessRight.findUnique({ where })) continue;
    await prisma.accessRight.create({ data: { serviceId: service.id, clientSubsystem: right.client, grantedBy: 'demo' } });
    summary.accessRightsCreated++;
  }
  return summary;
}
