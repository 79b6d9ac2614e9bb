import { createEvent } from '@simpul/bus';
import { ApplicationUpdated, type Subjects } from '@simpul/contracts';
import { badUserInput, type Principal } from '@simpul/kit';
import type { Adoption, Application } from '../db.ts';
import { agencyManagerDenial, requireReader } from '../auth/permissions.ts';
import type { ApplicationManager } from '../applications/application-manager.ts';
import type { AdoptionState, AdoptionStore } from './adoption-store.ts';

export interface SetAdoptionInput {
  commonApplicationId: string;
  agencyCode: string;
  state: AdoptionState;
  /** The agency's own applications the aplikasi umum replaces. */
  retiresApplicationIds?: string[] | null;
}

const STATES: readonly AdoptionState[] = ['NOT_STARTED', 'MIGRATING', 'ADOPTED'];

/** An agency's move onto an aplikasi umum: its administrator (or a national one) records it. */
export class AdoptionManager {
  constructor(
    private readonly store: AdoptionStore,
    private readonly applications: ApplicationManager,
    private readonly subjects: Subjects,
    private readonly eventsWritten: () => void,
  ) {}

  async set(principal: Principal | null, input: SetAdoptionInput): Promise<Adoption> {
    const caller = requireReader(principal);
    const denial = agencyManagerDenial(caller, input.agencyCode);
    if (denial) throw denial;
    if (!STATES.includes(input.state)) throw badUserInput(`state: must be one of ${STATES.join(', ')}`, { field: 'state' });
    const common = await this.applications.require(input.commonApplicationId, 'commonApplicationId');
    if (common.kind !== 'UMUM') throw badUserInput(`commonApplicationId: ${common.name} is not an aplikasi umum`, { field: 'commonApplicationId' });
    const retires = [...new Set(input.retiresApplicationIds ?? [])];
    if (retires.length && input.state === 'NOT_STARTED') {
      throw badUserInput('retiresApplicationIds: nothing is retired before migration starts', { field: 'retiresApplicationIds' });
    }
    for (const id of retires) {
      const app = await this.applications.require(id, 'retiresApplicationIds');
      if (app.ownerAgencyCode !== input.agencyCode) {
        throw badUserInput(`retiresApplicationIds: ${app.name} belongs to ${app.ownerAgencyCode}, not ${input.agencyCode}`, { field: 'retiresApplicationIds' });
      }
      if (app.kind === 'UMUM') throw badUserInput(`retiresApplicationIds: ${app.name} is itself an aplikasi umum`, { field: 'retiresApplicationIds' });
    }
    const adoption = await this.store.set(
      { commonApplicationId: common.id, agencyCode: input.agencyCode, state: input.state, updatedBy: caller.username, retires },
      (changed: Application[]) =>
        changed.map((row) => createEvent(this.subjects, ApplicationUpdated, { id: row.id, ownerAgencyCode: row.ownerAgencyCode, name: row.name })),
    );
    this.eventsWritten();
    return adoption;
  }

  all(): Promise<Adoption[]> {
    return this.store.all();
  }

  replacedBy(commonIds: readonly string[]): Promise<Application[]> {
    return this.store.replacedBy(commonIds);
  }
}
