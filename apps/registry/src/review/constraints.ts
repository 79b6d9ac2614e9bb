import type { ReviewConstraints } from '../duplicates/find-duplicates.ts';
import { UnionFind } from '../duplicates/union-find.ts';

export type DecisionKind = 'CONFIRMED' | 'REJECTED';

export interface DecisionRecord {
  applicationIds: readonly string[];
  decision: DecisionKind;
}

export interface EffectiveDecisions extends ReviewConstraints {
  /** A rejected pair that confirmations still join (through a shared member), if any. */
  conflict: { pair: [string, string]; path: string[] } | null;
}

/**
 * What a history of review decisions means now, taken oldest first:
 * - CONFIRMED on a set: its members belong together (one cluster, whatever the scores);
 *   it overrides earlier rejections of pairs inside the set.
 * - REJECTED on a set: no two of its members belong together; it withdraws every earlier
 *   confirmation holding two of them (to keep the rest of such a cluster, confirm it again).
 * Confirmations join transitively (a set confirmed with {a,b} and another with {b,c} make
 * a, b and c one cluster); a rejected pair inside such a chain is a conflict, reported
 * with the chain so a reviewer can see which decision to change.
 */
export function effectiveDecisions(history: readonly DecisionRecord[]): EffectiveDecisions {
  let confirmed: string[][] = [];
  const rejected = new Map<string, [string, string]>();
  for (const { applicationIds, decision } of history) {
    const ids = [...new Set(applicationIds)];
    if (decision === 'CONFIRMED') {
      confirmed.push(ids);
      for (const pair of pairs(ids)) rejected.delete(key(pair));
    } else {
      for (const pair of pairs(ids)) rejected.set(key(pair), pair);
      const set = new Set(ids);
      confirmed = confirmed.filter((group) => group.filter((id) => set.has(id)).length < 2);
    }
  }
  return { together: confirmed, apart: [...rejected.values()], conflict: findConflict(confirmed, [...rejected.values()]) };
}

function findConflict(groups: string[][], apart: [string, string][]): EffectiveDecisions['conflict'] {
  const ids = [...new Set(groups.flat())];
  const index = new Map(ids.map((id, i) => [id, i]));
  const uf = new UnionFind(ids.length);
  for (const group of groups) for (const id of group.slice(1)) uf.union(index.get(group[0]!)!, index.get(id)!);
  for (const [a, b] of apart) {
    const [i, j] = [index.get(a), index.get(b)];
    if (i !== undefined && j !== undefined && uf.find(i) === uf.find(j)) return { pair: [a, b], path: chain(groups, a, b) };
  }
  return null;
}

/** The members through which confirmations join a to b (breadth-first over confirmed groups). */
function chain(groups: string[][], a: string, b: string): string[] {
  const previous = new Map<string, string | null>([[a, null]]);
  const queue = [a];
  while (queue.length) {
    const at = queue.shift()!;
    if (at === b) break;
    for (const group of groups) {
      if (!group.includes(at)) continue;
      for (const next of group) {
        if (!previous.has(next)) {
          previous.set(next, at);
          queue.push(next);
        }
      }
    }
  }
  const path: string[] = [];
  for (let at: string | null | undefined = b; at; at = previous.get(at)) path.unshift(at);
  return path;
}

function pairs(ids: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) out.push(ids[i]! < ids[j]! ? [ids[i]!, ids[j]!] : [ids[j]!, ids[i]!]);
  return out;
}

function key([a, b]: [string, string]): string {
  return `${a}|${b}`;
}
