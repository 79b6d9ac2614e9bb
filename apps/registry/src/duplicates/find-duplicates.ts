import { createHash } from 'node:crypto';
import { buildCorpus, cosine, heaviestTerms, type Corpus } from './corpus.ts';
import { UnionFind } from './union-find.ts';

/** What the analysis needs to know of an application (retired ones are left out by the caller). */
export interface CatalogueEntry {
  id: string;
  agencyCode: string;
  name: string;
  description: string;
  functionCodes: readonly string[];
  kind: 'UMUM' | 'KHUSUS';
  annualCostRupiah: bigint;
  userCount: number;
}

export interface DuplicateOptions {
  /** Pairs scoring at least this are linked; clusters are the connected groups. Default 0.4. */
  minScore?: number;
  /** The reference taxonomy's aplikasi umum for a function, named when none is in the catalogue. */
  commonApplicationName?: (functionCode: string) => string | undefined;
  /** `blocked` (default) compares only pairs that share a function and a rare word; `all-pairs` compares every pair. */
  strategy?: 'blocked' | 'all-pairs';
  /** The least text similarity (cosine) a linked pair needs. Default TEXT_FLOOR. */
  textFloor?: number;
  /** Reviewers' decisions (ids not in the catalogue are ignored). */
  decisions?: ReviewConstraints;
}

/** What reviewers decided: groups confirmed as belonging together, pairs rejected as duplicates. */
export interface ReviewConstraints {
  /** Each group ends in one cluster, whatever the scores say. */
  together: readonly (readonly string[])[];
  /** The two never end in one cluster. */
  apart: readonly (readonly [string, string])[];
}

export interface DuplicateCluster {
  /** Stable for the same members: a digest of their ids. */
  id: string;
  memberIds: string[];
  agencyCodes: string[];
  /** Mean score of the pairs that linked the cluster. */
  score: number;
  /** Functions at least two members serve, most common first. */
  sharedFunctions: { code: string; count: number }[];
  /** Words at least two members' descriptions use, rarest and most common first. */
  sharedTerms: string[];
  /** The aplikasi umum that could replace the members; id null when only the taxonomy names it. */
  replacement: { id: string | null; name: string } | null;
  /** With no aplikasi umum: the member kept (most users), the others move onto it. */
  keptId: string | null;
  /** Members consolidation retires. */
  retiredIds: string[];
  /** Yearly saving: the annual cost of the retired members. */
  savingRupiah: bigint;
  /** Every member is joined to the others by reviewers' confirmations. */
  confirmed: boolean;
  /** Per member, its closest fellow members (at most CANDIDATES_PER_MEMBER), strongest first: why it is here. */
  candidates: Record<string, DuplicateCandidate[]>;
}

/** Another member of an application's cluster and what the two share. */
export interface DuplicateCandidate {
  id: string;
  /** The pair's score (FUNCTION_WEIGHT × Jaccard + TEXT_WEIGHT × cosine), 3 decimals. */
  score: number;
  /** Text similarity alone (cosine), 3 decimals. */
  textSimilarity: number;
  sharedFunctions: string[];
  /** Words both use, rarest first (at most 6). */
  sharedTerms: string[];
}

export const CANDIDATES_PER_MEMBER = 5;
/** Candidates are looked for among at most this many fellow members (the first ones). */
const CANDIDATE_POOL = 200;

export interface DuplicateAnalysis {
  clusters: DuplicateCluster[];
  stats: {
    applications: number;
    /** Pairs looked at (blocked: from shared posting lists; all-pairs: n(n-1)/2). */
    pairsConsidered: number;
    /** Pairs whose score was computed. */
    pairsScored: number;
    pairsLinked: number;
  };
}

export const DEFAULT_MIN_SCORE = 0.4;
/**
 * A pair links only when the texts alone are this similar (TF-IDF cosine), whatever the
 * functions: a shared function code says two systems are in the same field, not that
 * they do the same work (attendance and personnel records are both KEPEGAWAIAN).
 */
export const TEXT_FLOOR = 0.15;
/** Cohesion is checked on at most this many members of each side of a merge (the first ones). */
export const COHESION_SAMPLE = 24;
/** Score = FUNCTION_WEIGHT × Jaccard(function codes) + TEXT_WEIGHT × cosine(TF-IDF of name and description). */
export const FUNCTION_WEIGHT = 0.35;
export const TEXT_WEIGHT = 0.65;
/** Words per application that go into the blocking index: its heaviest words used by at least one other entry. */
export const SIGNATURE_TERMS = 12;

/** Shared codes and Jaccard index of two function-code lists without repeats (a few codes each, so nested loops). */
export function functionOverlap(a: readonly string[], b: readonly string[]): { shared: number; jaccard: number } {
  let shared = 0;
  for (const x of a) {
    for (const y of b) {
      if (x === y) {
        shared++;
        break;
      }
    }
  }
  return { shared, jaccard: shared === 0 ? 0 : shared / (a.length + b.length - shared) };
}

/** Scores every pair the strategy looks at, links those at or above minScore, and explains each cluster. */
export function findDuplicates(entries: readonly CatalogueEntry[], options: DuplicateOptions = {}): DuplicateAnalysis {
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
  const textFloor = options.textFloor ?? TEXT_FLOOR;
  const corpus = buildCorpus(entries.map((e) => `${e.name} ${e.description}`));
  const sets = entries.map((e) => [...new Set(e.functionCodes)]);
  // `candidates` groups everything linked by some pair (single linkage): the blocking
  // index keeps a few representatives per group. The clusters reported are built from the
  // linked pairs afterwards, with a cohesion check (see `cohesiveClusters`).
  const candidates = new UnionFind(entries.length);
  const edges: Edge[] = [];
  const stats = { applications: entries.length, pairsConsidered: 0, pairsScored: 0, pairsLinked: 0 };

  const consider = (i: number, j: number, skipLinked: boolean) => {
    stats.pairsConsidered++;
    if (entries[i]!.agencyCode === entries[j]!.agencyCode) return;
    if (skipLinked && candidates.find(i) === candidates.find(j)) return;
    if (functionOverlap(sets[i]!, sets[j]!).shared === 0) return;
    stats.pairsScored++;
    const text = cosine(corpus.vectors[i]!, corpus.vectors[j]!);
    if (text < textFloor) return;
    const s = pairScore(sets[i]!, sets[j]!, text);
    if (s >= minScore) {
      candidates.union(i, j);
      edges.push({ i, j, score: s });
      stats.pairsLinked++;
    }
  };

  if (options.strategy === 'all-pairs') {
    for (let i = 0; i < entries.length; i++) for (let j = i + 1; j < entries.length; j++) consider(i, j, false);
  } else {
    blockedPairs(entries, sets, corpus, candidates, (i, j) => consider(i, j, true));
  }

  const { groups, linkScores, confirmed } = cohesiveClusters(entries, sets, corpus, edges, { minScore, textFloor }, options.decisions);
  const umum = entries.flatMap((e, i) => (e.kind === 'UMUM' ? [i] : []));
  const clusters = groups
    .filter((members) => members.length > 1)
    .map((members) => ({
      ...explain(members, entries, sets, corpus, umum, linkScores, options),
      confirmed: confirmed(members),
      candidates: candidatesOf(members, entries, sets, corpus),
    }));
  clusters.sort(
    (a, b) =>
      (b.savingRupiah > a.savingRupiah ? 1 : b.savingRupiah < a.savingRupiah ? -1 : 0) || b.memberIds.length - a.memberIds.length || a.id.localeCompare(b.id),
  );
  return { clusters, stats };
}

interface Edge {
  i: number;
  j: number;
  score: number;
}

/** The score of two applications whose texts have cosine `text`. */
function pairScore(a: readonly string[], b: readonly string[], text: number): number {
  const { shared, jaccard } = functionOverlap(a, b);
  return shared === 0 ? 0 : FUNCTION_WEIGHT * jaccard + TEXT_WEIGHT * text;
}

/**
 * Clusters from the linked pairs by average linkage: pairs are taken strongest first, and
 * two groups merge only when the mean score over the pairs across them (on at most
 * COHESION_SAMPLE members of each side) still reaches minScore and the groups' centroids
 * (the sums of their members' text vectors) are at least as similar as the text floor
 * asks of a pair. So a one-of-a-kind system that resembles two groups a little (a
 * dashboard over personnel and payroll) does not chain them into one, as single linkage
 * would: its words weigh little in the centroid of a group it resembles only in part.
 * Instances of one popular kind of system, each sharing only some of the kind's words,
 * still meet through their centroids. Reviewers' decisions come first: confirmed groups
 * start merged, and no merge puts a rejected pair together.
 */
function cohesiveClusters(
  entries: readonly CatalogueEntry[],
  sets: string[][],
  corpus: Corpus,
  edges: Edge[],
  { minScore, textFloor }: { minScore: number; textFloor: number },
  decisions: ReviewConstraints | undefined,
): { groups: number[][]; linkScores: number[][]; confirmed: (members: number[]) => boolean } {
  const index = new Map(entries.map((e, i) => [e.id, i]));
  const uf = new UnionFind(entries.length);
  const members = new Map<number, number[]>();
  const membersOf = (root: number) => members.get(root) ?? [root];
  const linkScores: number[][] = entries.map(() => []);
  // Sum of the members' text vectors per group: the group's centroid, up to length.
  const sums = new Map<number, Map<number, number>>();
  const sumOf = (root: number): Map<number, number> => {
    let sum = sums.get(root);
    if (!sum) {
      const v = corpus.vectors[root]!;
      sums.set(root, (sum = new Map(Array.from(v.terms, (t, k) => [t, v.weights[k] as number]))));
    }
    return sum;
  };
  const merge = (a: number, b: number) => {
    const [ra, rb] = [uf.find(a), uf.find(b)];
    if (ra === rb) return;
    const joined = [...membersOf(ra), ...membersOf(rb)];
    const summed = new Map(sumOf(ra));
    for (const [t, w] of sumOf(rb)) summed.set(t, (summed.get(t) ?? 0) + w);
    uf.union(ra, rb);
    sums.delete(ra);
    sums.delete(rb);
    sums.set(uf.find(ra), summed);
    members.delete(ra);
    members.delete(rb);
    members.set(uf.find(ra), joined);
  };

  const apart = new Map<number, number[]>();
  for (const [x, y] of decisions?.apart ?? []) {
    const [i, j] = [index.get(x), index.get(y)];
    if (i === undefined || j === undefined) continue;
    apart.set(i, [...(apart.get(i) ?? []), j]);
    apart.set(j, [...(apart.get(j) ?? []), i]);
  }
  const keptApart = (ra: number, rb: number) => membersOf(ra).some((m) => apart.get(m)?.some((o) => uf.find(o) === rb));
  // Confirmations on their own, to tell afterwards which clusters reviewers confirmed whole.
  const confirmedTogether = new UnionFind(entries.length);
  const confirmedIds = new Set<number>();
  for (const group of decisions?.together ?? []) {
    const present = group.flatMap((id) => index.get(id) ?? []);
    for (const m of present.slice(1)) {
      merge(present[0]!, m);
      confirmedTogether.union(present[0]!, m);
    }
    if (present.length > 1) for (const m of present) confirmedIds.add(m);
  }
  const confirmed = (group: number[]) => group.every((m) => confirmedIds.has(m) && confirmedTogether.find(m) === confirmedTogether.find(group[0]!));

  const norms = new Map<Map<number, number>, number>();
  const norm = (x: Map<number, number>) => {
    let n = norms.get(x);
    if (n === undefined) {
      n = 0;
      for (const w of x.values()) n += w * w;
      norms.set(x, (n = Math.sqrt(n)));
    }
    return n;
  };
  // Walks the smaller of the two sums: a big group's centroid holds thousands of words.
  const centroidCosine = (x: Map<number, number>, y: Map<number, number>) => {
    const [small, large] = x.size <= y.size ? [x, y] : [y, x];
    let dot = 0;
    for (const [t, w] of small) {
      const o = large.get(t);
      if (o !== undefined) dot += w * o;
    }
    const n = norm(x) * norm(y);
    return n ? dot / n : 0;
  };
  /** Whether two groups hang together: mean score ≥ minScore, and their centroids similar in text. */
  const cohesive = (ra: number, rb: number) => {
    if (centroidCosine(sumOf(ra), sumOf(rb)) < textFloor) return false;
    const left = membersOf(ra).slice(0, COHESION_SAMPLE);
    const right = membersOf(rb).slice(0, COHESION_SAMPLE);
    let sum = 0;
    for (const a of left) for (const b of right) sum += pairScore(sets[a]!, sets[b]!, cosine(corpus.vectors[a]!, corpus.vectors[b]!));
    return sum / (left.length * right.length) >= minScore;
  };
  // A refused merge is not tried again until one side has grown.
  const refused = new Set<string>();
  edges.sort((x, y) => y.score - x.score || x.i - y.i || x.j - y.j);
  for (const { i, j, score } of edges) {
    const [ra, rb] = [uf.find(i), uf.find(j)];
    if (ra === rb) {
      linkScores[i]!.push(score);
      continue;
    }
    const key = ra < rb ? `${ra}:${membersOf(ra).length}|${rb}:${membersOf(rb).length}` : `${rb}:${membersOf(rb).length}|${ra}:${membersOf(ra).length}`;
    if (refused.has(key)) continue;
    if (keptApart(ra, rb) || !cohesive(ra, rb)) {
      refused.add(key);
      continue;
    }
    merge(ra, rb);
    linkScores[i]!.push(score);
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < entries.length; i++) {
    const root = uf.find(i);
    const group = groups.get(root);
    if (group) group.push(i);
    else groups.set(root, [i]);
  }
  return { groups: [...groups.values()], linkScores, confirmed };
}

/**
 * Candidate pairs without comparing every pair: an inverted index keyed by (function
 * code, word) over each entry's heaviest words, so two entries meet only when they serve
 * the same function and use the same fairly rare word. Words in more than 5% of the
 * catalogue (at least 100 entries) are too common to be a signal and are not indexed.
 *
 * Entries are taken in order and meet the earlier entries of their keys' lists. A list
 * keeps at most REPRESENTATIVES entries of any one cluster found so far: the 500th
 * regional e-office is compared with a few e-offices already linked, not with all 499, so
 * a kind of system that every agency runs costs linear, not quadratic, time. (Linking is
 * single-linkage, so this can miss a link that only a dropped member would have made;
 * the benchmark measures how often against comparing every pair.)
 */
export const REPRESENTATIVES = 8;
/**
 * A list that still holds this many entries after compaction holds a word used across
 * many unrelated clusters: it stops taking part, so no word costs more than this per entry.
 */
export const MAX_LIST = 256;

function blockedPairs(entries: readonly CatalogueEntry[], sets: string[][], corpus: Corpus, uf: UnionFind, visit: (i: number, j: number) => void): void {
  const maxDf = Math.max(100, Math.floor(corpus.size * 0.05));
  const functionIds = new Map<string, number>();
  const lists = new Map<number, { entries: number[]; compactAt: number; saturated: boolean }>();
  const termCount = corpus.words.length;
  const seen = new Int32Array(entries.length).fill(-1);
  for (let i = 0; i < entries.length; i++) {
    const vector = corpus.vectors[i]!;
    const keep: number[] = [];
    for (let k = 0; k < vector.terms.length; k++) {
      const df = corpus.df[vector.terms[k] as number] as number;
      if (df >= 2 && df <= maxDf) keep.push(k);
    }
    const usable = { terms: Int32Array.from(keep, (k) => vector.terms[k] as number), weights: Float64Array.from(keep, (k) => vector.weights[k] as number) };
    const signature = heaviestTerms(usable, SIGNATURE_TERMS);
    for (const code of sets[i]!) {
      let f = functionIds.get(code);
      if (f === undefined) functionIds.set(code, (f = functionIds.size));
      for (const term of signature) {
        const key = f * termCount + term;
        let list = lists.get(key);
        if (!list) lists.set(key, (list = { entries: [], compactAt: 2 * REPRESENTATIVES, saturated: false }));
        if (list.saturated) continue;
        for (const j of list.entries) {
          if (seen[j] === i) continue;
          seen[j] = i;
          visit(j, i);
        }
        list.entries.push(i);
        if (list.entries.length >= list.compactAt) {
          const kept = new Map<number, number>();
          list.entries = list.entries.filter((j) => {
            const root = uf.find(j);
            const count = kept.get(root) ?? 0;
            kept.set(root, count + 1);
            return count < REPRESENTATIVES;
          });
          list.compactAt = Math.max(2 * REPRESENTATIVES, 2 * list.entries.length);
          if (list.entries.length >= MAX_LIST) {
            list.saturated = true;
            list.entries = [];
          }
        }
      }
    }
  }
}

/** For each member, its closest fellow members and what they share. */
function candidatesOf(members: number[], entries: readonly CatalogueEntry[], sets: string[][], corpus: Corpus): Record<string, DuplicateCandidate[]> {
  const out: Record<string, DuplicateCandidate[]> = {};
  const pool = members.slice(0, CANDIDATE_POOL);
  for (const m of members) {
    const scored = pool
      .filter((o) => o !== m)
      .map((o) => {
        const text = cosine(corpus.vectors[m]!, corpus.vectors[o]!);
        return { o, text, score: pairScore(sets[m]!, sets[o]!, text) };
      })
      .sort((a, b) => b.score - a.score || a.o - b.o)
      .slice(0, CANDIDATES_PER_MEMBER);
    out[entries[m]!.id] = scored.map(({ o, text, score }) => ({
      id: entries[o]!.id,
      score: Math.round(score * 1000) / 1000,
      textSimilarity: Math.round(text * 1000) / 1000,
      sharedFunctions: sets[m]!.filter((code) => sets[o]!.includes(code)),
      sharedTerms: sharedWords(corpus, m, o, 6),
    }));
  }
  return out;
}

/** Words two texts share, rarest first. */
function sharedWords(corpus: Corpus, a: number, b: number, limit: number): string[] {
  const mine = new Set(corpus.vectors[a]!.terms);
  return [...corpus.vectors[b]!.terms]
    .filter((t) => mine.has(t))
    .sort((x, y) => (corpus.idf[y] as number) - (corpus.idf[x] as number) || x - y)
    .slice(0, limit)
    .map((t) => corpus.words[t] as string);
}

function explain(
  members: number[],
  entries: readonly CatalogueEntry[],
  sets: string[][],
  corpus: Corpus,
  umum: number[],
  linkScores: number[][],
  options: DuplicateOptions,
): Omit<DuplicateCluster, 'confirmed' | 'candidates'> {
  const ordered = [...members].sort((a, b) => compare(entries[a]!.agencyCode, entries[b]!.agencyCode) || compare(entries[a]!.name, entries[b]!.name));
  const functionCounts = new Map<string, number>();
  for (const m of members) for (const code of sets[m]!) functionCounts.set(code, (functionCounts.get(code) ?? 0) + 1);
  const sharedFunctions = [...functionCounts]
    .filter(([, count]) => count >= 2)
    .map(([code, count]) => ({ code, count }))
    .sort((a, b) => b.count - a.count || compare(a.code, b.code));

  const termCounts = new Map<number, number>();
  for (const m of members) for (const t of corpus.vectors[m]!.terms) termCounts.set(t, (termCounts.get(t) ?? 0) + 1);
  const sharedTerms = [...termCounts]
    .filter(([, count]) => count >= 2)
    .sort(([ta, ca], [tb, cb]) => cb * (corpus.idf[tb] as number) - ca * (corpus.idf[ta] as number) || ta - tb)
    .slice(0, 8)
    .map(([t]) => corpus.words[t] as string);

  const affinity = (u: number) => {
    let sum = 0;
    for (const m of members) {
      if (m === u) continue;
      const { jaccard } = functionOverlap(sets[m]!, sets[u]!);
      sum += FUNCTION_WEIGHT * jaccard + TEXT_WEIGHT * cosine(corpus.vectors[m]!, corpus.vectors[u]!);
    }
    return sum;
  };
  const textAffinity = (u: number) => {
    let sum = 0;
    for (const m of members) if (m !== u) sum += cosine(corpus.vectors[m]!, corpus.vectors[u]!);
    return sum;
  };
  // The replacement: an aplikasi umum in the cluster; else a catalogued one serving the
  // main shared function whose description is close to the members' (mean text
  // similarity at least half the link threshold; the one the taxonomy names wins ties);
  // else, when the aplikasi umum the taxonomy names is not catalogued, that name alone.
  const topFunction = sharedFunctions[0]?.code ?? sets[members[0]!]![0];
  const taxonomyName = topFunction !== undefined ? options.commonApplicationName?.(topFunction) : undefined;
  const memberUmum = members.filter((m) => entries[m]!.kind === 'UMUM');
  const serving = umum.filter((u) => topFunction !== undefined && sets[u]!.includes(topFunction));
  const textBar = ((options.minScore ?? DEFAULT_MIN_SCORE) / 2) * members.length;
  let best: number | undefined;
  let bestAffinity = -1;
  for (const u of memberUmum.length ? memberUmum : serving) {
    if (!memberUmum.length && textAffinity(u) < textBar) continue;
    const a = affinity(u) + (entries[u]!.name === taxonomyName ? 1e-9 : 0);
    if (best === undefined || a > bestAffinity) [best, bestAffinity] = [u, a];
  }
  const taxonomyCatalogued = umum.some((u) => entries[u]!.name === taxonomyName);
  const replacement =
    best !== undefined ? { id: entries[best]!.id, name: entries[best]!.name } : taxonomyName && !taxonomyCatalogued ? { id: null, name: taxonomyName } : null;

  const own = members.filter((m) => entries[m]!.kind === 'KHUSUS');
  let kept: number | undefined;
  if (!replacement) {
    kept = [...own].sort((a, b) => entries[b]!.userCount - entries[a]!.userCount || compare(entries[a]!.id, entries[b]!.id))[0];
  }
  const retired = own.filter((m) => m !== kept);
  const scores = members.flatMap((m) => linkScores[m]!);
  const memberIds = ordered.map((m) => entries[m]!.id);
  return {
    id: createHash('sha1')
      .update([...memberIds].sort().join(','))
      .digest('hex')
      .slice(0, 16),
    memberIds,
    agencyCodes: [...new Set(ordered.map((m) => entries[m]!.agencyCode))],
    score: Math.round((scores.reduce((s, x) => s + x, 0) / Math.max(1, scores.length)) * 1000) / 1000,
    sharedFunctions,
    sharedTerms,
    replacement,
    keptId: kept !== undefined ? entries[kept]!.id : null,
    retiredIds: retired.map((m) => entries[m]!.id),
    savingRupiah: retired.reduce((sum, m) => sum + entries[m]!.annualCostRupiah, 0n),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Pairs (as "idA|idB", ids sorted) of different agencies that share a cluster: what a labelled fixture is checked against. */
export function clusteredPairs(analysis: DuplicateAnalysis, agencyOf: (id: string) => string): Set<string> {
  const pairs = new Set<string>();
  for (const cluster of analysis.clusters) {
    const ids = [...cluster.memberIds].sort();
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        if (agencyOf(ids[i]!) !== agencyOf(ids[j]!)) pairs.add(`${ids[i]}|${ids[j]}`);
      }
    }
  }
  return pairs;
}
