import type { Application } from '../db.ts';
import { consolidationPlan, type ConsolidationPlan } from '../duplicates/consolidation-plan.ts';
import type { DuplicateCluster } from '../duplicates/find-duplicates.ts';
import { toCsv } from './csv.ts';

/** Each cluster's consolidation plan, over the catalogue's applications by id. */
export function plansOf(clusters: readonly DuplicateCluster[], byId: ReadonlyMap<string, Application>): Map<string, ConsolidationPlan> {
  const applicationOf = (id: string) => {
    const app = byId.get(id);
    return app ? { id, name: app.name, agencyCode: app.ownerAgencyCode } : undefined;
  };
  return new Map(clusters.map((c) => [c.id, consolidationPlan(c, applicationOf)]));
}

/** One row per cluster: what to keep, what to retire, the saving, and whom to contact. */
export function consolidationCsv(clusters: readonly DuplicateCluster[], byId: ReadonlyMap<string, Application>): string {
  const plans = plansOf(clusters, byId);
  const names = (ids: readonly string[]) => ids.map((id) => byId.get(id)?.name ?? id).join('; ');
  return toCsv(
    ['cluster_id', 'confirmed', 'action', 'target', 'members', 'agencies', 'retired_applications', 'yearly_saving_rupiah', 'agencies_to_contact', 'summary'],
    clusters.map((c) => {
      const plan = plans.get(c.id)!;
      return [
        c.id,
        c.confirmed ? 'yes' : 'no',
        plan.action,
        plan.targetName,
        names(c.memberIds),
        c.agencyCodes.join(' '),
        names(plan.retiredIds),
        plan.savingRupiah,
        plan.agenciesToContact.map((a) => `${a.agencyCode}: ${a.request}`).join(' | '),
        plan.summary,
      ];
    }),
  );
}
