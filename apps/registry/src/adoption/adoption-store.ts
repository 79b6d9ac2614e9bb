import { writeOutboxEvent, type OutgoingEvent } from '@simpul/bus';
import type { Adoption, Application, PrismaClient } from '../db.ts';

export type AdoptionState = 'NOT_STARTED' | 'MIGRATING' | 'ADOPTED';

/** Agencies' adoption of aplikasi umum, and the applications each adoption retires. */
export class AdoptionStore {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Records the state and points the retired applications at the aplikasi umum; once
   * ADOPTED they are RETIRED. Events for the changed applications go in the same transaction.
   */
  async set(
    input: { commonApplicationId: string; agencyCode: string; state: AdoptionState; updatedBy: string; retires: string[] },
    eventsFor: (changed: Application[]) => OutgoingEvent[],
  ): Promise<Adoption> {
    return this.prisma.$transaction(async (tx) => {
      const adoption = await tx.adoption.upsert({
        where: { commonApplicationId_agencyCode: { commonApplicationId: input.commonApplicationId, agencyCode: input.agencyCode } },
        create: { commonApplicationId: input.commonApplicationId, agencyCode: input.agencyCode, state: input.state, updatedBy: input.updatedBy },
        update: { state: input.state, updatedBy: input.updatedBy },
      });
      const changed: Application[] = [];
      for (const id of input.retires) {
        changed.push(
          await tx.application.update({
            where: { id },
            data: { replacedById: input.commonApplicationId, ...(input.state === 'ADOPTED' ? { status: 'RETIRED' as const } : {}) },
          }),
        );
      }
      for (const event of eventsFor(changed)) await writeOutboxEvent(tx, event);
      return adoption;
    });
  }

  all(): Promise<Adoption[]> {
    return this.prisma.adoption.findMany({ orderBy: [{ commonApplicationId: 'asc' }, { agencyCode: 'asc' }] });
  }

  byAgencies(codes: readonly string[]): Promise<Adoption[]> {
    return this.prisma.adoption.findMany({ where: { agencyCode: { in: [...codes] } } });
  }

  replacedBy(commonIds: readonly string[]): Promise<Application[]> {
    return this.prisma.application.findMany({ where: { replacedById: { in: [...commonIds] } }, orderBy: [{ ownerAgencyCode: 'asc' }, { name: 'asc' }] });
  }
}
