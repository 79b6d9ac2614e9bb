import type { DuplicateCluster } from './find-duplicates.ts';

export interface PlanApplication {
  id: string;
  name: string;
  agencyCode: string;
}

export type ConsolidationAction = 'MOVE_TO_COMMON_APPLICATION' | 'KEEP_ONE';

export interface AgencyToContact {
  agencyCode: string;
  /** The agency's applications the plan concerns. */
  applicationIds: string[];
  /** What it is asked to do, in one sentence. */
  request: string;
}

export interface ConsolidationPlan {
  action: ConsolidationAction;
  /** The aplikasi umum everyone moves onto, or the member kept; null when neither is known. */
  targetId: string | null;
  targetName: string | null;
  retiredIds: string[];
  savingRupiah: bigint;
  agenciesToContact: AgencyToContact[];
  summary: string;
}

/**
 * What consolidating a cluster takes: which system stays (the aplikasi umum, or the member
 * with most users when no aplikasi umum covers the work), which are retired and what that
 * saves a year, and whom to call: each agency that retires a system, and the agency that
 * runs the one everybody moves onto.
 */
export function consolidationPlan(cluster: DuplicateCluster, applicationOf: (id: string) => PlanApplication | undefined): ConsolidationPlan {
  const action: ConsolidationAction = cluster.replacement ? 'MOVE_TO_COMMON_APPLICATION' : 'KEEP_ONE';
  const targetId = cluster.replacement ? cluster.replacement.id : cluster.keptId;
  const target = targetId ? applicationOf(targetId) : undefined;
  const targetName = cluster.replacement?.name ?? target?.name ?? null;
  const retired = cluster.retiredIds.flatMap((id) => applicationOf(id) ?? []);

  const contacts = new Map<string, { ids: string[]; requests: string[] }>();
  const contact = (agencyCode: string) => {
    let entry = contacts.get(agencyCode);
    if (!entry) contacts.set(agencyCode, (entry = { ids: [], requests: [] }));
    return entry;
  };
  const byAgency = new Map<string, PlanApplication[]>();
  for (const app of retired) byAgency.set(app.agencyCode, [...(byAgency.get(app.agencyCode) ?? []), app]);
  for (const [agencyCode, apps] of byAgency) {
    const entry = contact(agencyCode);
    entry.ids.push(...apps.map((a) => a.id));
    entry.requests.push(
      `retire ${apps.map((a) => a.name).join(', ')} and move ${apps.length > 1 ? 'their' : 'its'} users onto ${targetName ?? 'the shared system'}`,
    );
  }
  if (target) {
    const others = new Set(retired.map((a) => a.agencyCode).filter((code) => code !== target.agencyCode)).size;
    const entry = contact(target.agencyCode);
    entry.ids.unshift(target.id);
    entry.requests.unshift(
      action === 'KEEP_ONE'
        ? `keep ${target.name} running for ${others} other ${others === 1 ? 'agency' : 'agencies'}`
        : `provide ${target.name} to ${others} ${others === 1 ? 'agency' : 'agencies'}`,
    );
  }
  const agenciesToContact = [...contacts]
    .map(([agencyCode, { ids, requests }]) => ({ agencyCode, applicationIds: ids, request: capitalise(requests.join('; ')) }))
    .sort((a, b) => (a.agencyCode < b.agencyCode ? -1 : a.agencyCode > b.agencyCode ? 1 : 0));

  const saving = `Rp ${Number(cluster.savingRupiah).toLocaleString('id-ID')} a year`;
  const summary =
    retired.length === 0
      ? 'Nothing to retire: the members are aplikasi umum already.'
      : action === 'MOVE_TO_COMMON_APPLICATION'
        ? `Move ${retired.length} own ${retired.length === 1 ? 'application' : 'applications'} onto the aplikasi umum ${targetName}, saving ${saving}.`
        : `Keep ${targetName} (most users) and retire ${retired.length} ${retired.length === 1 ? 'other' : 'others'}, saving ${saving}.`;
  return {
    action,
    targetId: targetId ?? null,
    targetName,
    retiredIds: retired.map((a) => a.id),
    savingRupiah: cluster.savingRupiah,
    agenciesToContact,
    summary,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
