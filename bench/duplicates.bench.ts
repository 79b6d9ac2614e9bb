/**
 * The registry's duplicate finder at the size of the real problem (officials cite about
 * 27,000 government applications), on synthetic catalogues of 1,000, 10,000 and 27,000
 * applications: time of the blocked finder (inverted index on function code + rare
 * words) and how it grows, against comparing every pair at the sizes where that is
 * feasible, and how many of the all-pairs answer's duplicate pairs the blocked finder keeps.
 *
 *   npm run bench:duplicates -w @simpul/bench
 *     BENCH_SIZES=1000,10000,27000   BENCH_ALL_PAIRS_MAX=27000 (largest size compared pairwise)
 *     BENCH_RUNS=3 (the blocked finder's time is the median of this many runs)
 *
 * Pure computation in this process: needs neither PostgreSQL nor NATS. Times are CPU
 * time of this process, so other load on the machine does not distort them much.
 */
import { clusteredPairs, findDuplicates, type CatalogueEntry, type DuplicateAnalysis } from '../apps/registry/src/duplicates/find-duplicates.ts';
import { syntheticCatalogue } from '../apps/registry/src/duplicates/synthetic-catalogue.ts';

const sizes = (process.env.BENCH_SIZES ?? '1000,10000,27000').split(',').map(Number);
const allPairsMax = Number(process.env.BENCH_ALL_PAIRS_MAX ?? 27_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);

/**
 * CPU time of this process (user + system), not wall time: the development machine is
 * shared, and other processes' load stretches wall time by factors; CPU time barely moves.
 */
function timed(run: () => DuplicateAnalysis): { ms: number; result: DuplicateAnalysis } {
  const started = process.cpuUsage();
  const result = run();
  const used = process.cpuUsage(started);
  return { ms: (used.user + used.system) / 1000, result };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// Warm the JIT on a small catalogue so the first size is not charged for compilation.
findDuplicates(syntheticCatalogue(500, { seed: 1 }));

/**
 * Precision and recall of the clustered pairs against the generator's archetypes: a
 * synthetic entry's name starts with its archetype's first core word ("apl" for a unique one).
 */
function againstArchetypes(catalogue: readonly CatalogueEntry[], analysis: DuplicateAnalysis): string {
  const archetype = new Map(catalogue.map((e) => [e.id, e.name.startsWith('apl ') ? null : e.name.split(' ')[0]!]));
  const agency = new Map(catalogue.map((e) => [e.id, e.agencyCode]));
  const predicted = clusteredPairs(analysis, (id) => agency.get(id)!);
  let correct = 0;
  for (const pair of predicted) {
    const [a, b] = pair.split('|') as [string, string];
    if (archetype.get(a) !== null && archetype.get(a) === archetype.get(b)) correct++;
  }
  const members = new Map<string, Map<string, number>>();
  for (const e of catalogue) {
    const kind = archetype.get(e.id);
    if (!kind) continue;
    const byAgency = members.get(kind) ?? new Map<string, number>();
    byAgency.set(e.agencyCode, (byAgency.get(e.agencyCode) ?? 0) + 1);
    members.set(kind, byAgency);
  }
  // True pairs: same archetype, different agencies.
  let truth = 0;
  for (const byAgency of members.values()) {
    let total = 0;
    let same = 0;
    for (const n of byAgency.values()) {
      total += n;
      same += (n * (n - 1)) / 2;
    }
    truth += (total * (total - 1)) / 2 - same;
  }
  return `${(correct / Math.max(1, predicted.size)).toFixed(2)} / ${(correct / Math.max(1, truth)).toFixed(2)}`;
}

const rows: string[][] = [];
let previous: { size: number; ms: number } | undefined;
for (const size of sizes) {
  const catalogue = syntheticCatalogue(size);
  const agency = new Map(catalogue.map((e) => [e.id, e.agencyCode]));
  const blockedRuns = Array.from({ length: runs }, () => timed(() => findDuplicates(catalogue)));
  const blocked = { ms: median(blockedRuns.map((r) => r.ms)), result: blockedRuns[0]!.result };
  const growth = previous ? `${(blocked.ms / previous.ms).toFixed(2)}x time for ${(size / previous.size).toFixed(1)}x size` : '';
  previous = { size, ms: blocked.ms };
  let allPairs = ['skipped', '', '', ''];
  if (size <= allPairsMax) {
    const all = timed(() => findDuplicates(catalogue, { strategy: 'all-pairs' }));
    const mine = clusteredPairs(blocked.result, (id) => agency.get(id)!);
    const theirs = clusteredPairs(all.result, (id) => agency.get(id)!);
    const kept = [...theirs].filter((p) => mine.has(p)).length;
    const extra = [...mine].filter((p) => !theirs.has(p)).length;
    allPairs = [
      all.ms.toFixed(0),
      `${(all.ms / blocked.ms).toFixed(1)}x`,
      all.result.stats.pairsConsidered.toLocaleString('en'),
      `${((100 * kept) / Math.max(1, theirs.size)).toFixed(1)}% (+${extra.toLocaleString('en')})`,
    ];
  }
  const s = blocked.result.stats;
  rows.push([
    size.toLocaleString('en'),
    blocked.ms.toFixed(0),
    growth,
    s.pairsConsidered.toLocaleString('en'),
    s.pairsScored.toLocaleString('en'),
    String(blocked.result.clusters.length),
    againstArchetypes(catalogue, blocked.result),
    ...allPairs,
  ]);
  console.log(`${size}: done`);
}

const header = [
  'apps',
  'blocked CPU ms',
  'growth',
  'pairs looked at',
  'pairs scored',
  'clusters',
  'P / R vs archetypes',
  'all-pairs CPU ms',
  'speed-up',
  'all pairs',
  'dup pairs kept',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
console.log(['', line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
console.log('\n"P / R vs archetypes": precision and recall of the blocked finder\'s pairs against the generator\'s kinds of system.');
console.log(
  '"dup pairs kept": share of the pairs the all-pairs finder puts in one cluster that the blocked finder also puts together; (+n): pairs the blocked finder puts together that the all-pairs one does not (average linkage merges in another order when links are missing).',
);
