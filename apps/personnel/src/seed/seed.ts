import { createEvent } from '@simpul/bus';
import { EmployeeAppointed, type Subjects } from '@simpul/contracts';
import { DEMO_EMPLOYEES, type DemoEmployee } from '@simpul/contracts/demo';
import type { PrismaClient } from '../db.ts';
import { foldCareer } from '../domain/career.ts';
import { retirementDate } from '../domain/positions.ts';
import { EmployeeStore, type ImportedCareer } from '../employees/employee-store.ts';

export interface SeedOptions {
  subjects: Subjects;
  employees?: readonly DemoEmployee[];
}

export interface SeedSummary {
  employeesCreated: number;
  employeesKept: number;
}

/** Who recorded the demo careers. */
export const SEED_RECORDER = 'demo-seed';

/** A demo employee's career as personnel stores it; its state is the fold of its history. */
export function importedCareer(demo: DemoEmployee): ImportedCareer {
  const state = foldCareer(demo.history);
  return {
    nip: demo.nip,
    personal: { name: demo.name, sex: demo.sex, birthDate: demo.birthDate },
    steps: demo.history.map((event) => ({ ...event, recordedById: SEED_RECORDER, recordedByName: SEED_RECORDER })),
    state,
    retirementDate: retirementDate(demo.birthDate, state.positionType),
  };
}

/**
 * Loads the demo employees (DEMO_EMPLOYEES from @simpul/contracts/demo, so documents'
 * demo data names the same NIPs). Idempotent: existing employees are left alone.
 * Each new employee gets one `employee.appointed` event carrying their current agency,
 * unit, rank and position (the record is imported as it stands today), so identity
 * opens their account; their earlier transfers and promotions are history only.
 */
export async function seedDemoEmployees(prisma: PrismaClient, options: SeedOptions): Promise<SeedSummary> {
  const store = new EmployeeStore(prisma);
  const all = (options.employees ?? DEMO_EMPLOYEES).map(importedCareer);
  let created = 0;
  for (let i = 0; i < all.length; i += 200) {
    created += await store.importCareers(all.slice(i, i + 200), (career) => {
      const first = career.steps[0]!;
      return [
        createEvent(options.subjects, EmployeeAppointed, {
          nip: career.nip,
          ...career.personal,
          asnStatus: career.state.asnStatus,
          agencyCode: career.state.agencyCode,
          unitCode: career.state.unitCode,
          rank: career.state.rank as never,
          positionName: career.state.positionName,
          positionType: career.state.positionType,
          effectiveDate: first.effectiveDate,
          decreeNumber: first.decreeNumber,
          recordedBy: SEED_RECORDER,
        }),
      ];
    });
  }
  return { employeesCreated: created, employeesKept: all.length - created };
}
