import type { AdvisoryLock, Logger } from '@simpul/kit';
import type { PrismaClient } from '../db.ts';
import type { ApplicationStore } from '../applications/application-store.ts';
import { findDuplicates, type CatalogueEntry, type DuplicateCluster } from '../duplicates/find-duplicates.ts';
import { commonApplicationName } from '../functions/taxonomy.ts';
import { effectiveDecisions } from '../review/constraints.ts';
import type { DecisionStore } from '../review/decision-store.ts';

export interface Analysis {
  minScore: number;
  applicationCount: number;
  clusters: DuplicateCluster[];
  computedAt: Date;
  durationMs: number;
  /** Review decisions it followed. */
  decisionCount: number;
}

/** How long a requested run waits for more requests to fold in. */
const BURST_MS = 100;

type StoredCluster = Omit<DuplicateCluster, 'savingRupiah'> & { savingRupiah: string };

/**
 * Runs the duplicate analysis over the live catalogue. After every catalogue change (the
 * application events) it recomputes at the default threshold and keeps the result, so
 * `duplicateClusters` answers from it; another threshold is computed on demand. Requests
 * to recompute while one runs are folded into one more run. Reviewers' decisions bind it:
 * confirmed groups stay together, rejected pairs apart; a decision taken since the kept
 * result makes it stale.
 */
export class DuplicateAnalyser {
  private running: Promise<void> | undefined;
  private again = false;
  private runLock: Pick<AdvisoryLock, 'withLock'> | undefined;

  constructor(
    private readonly store: ApplicationStore,
    private readonly decisions: DecisionStore,
    private readonly prisma: PrismaClient,
    readonly defaultMinScore: number,
    private readonly logger: Logger,
  ) {}

  /** The analysis at `minScore` (default: the service's), from the kept result when it is current. */
  async analyse(minScore: number = this.defaultMinScore): Promise<Analysis> {
    if (minScore === this.defaultMinScore) {
      const kept = await this.current();
      if (kept) return kept;
      return this.recompute();
    }
    return this.compute(minScore);
  }

  /** Recomputes in the background (called after an application event was handled). */
  schedule(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        // A burst of events (an import, the demo seed) is folded into one run.
        await new Promise((resolve) => setTimeout(resolve, BURST_MS));
        this.again = false;
        try {
          await this.recompute();
        } catch (error) {
          this.logger.error({ err: error }, 'duplicate analysis failed; the next request computes it');
        }
      } while (this.again);
    })().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when no background run is pending (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** With several instances of the registry: one run at a time in the database (service.ts gives the lock). */
  useRunLock(lock: Pick<AdvisoryLock, 'withLock'>): void {
    this.runLock = lock;
  }

  /**
   * Runs the analysis and keeps it. An instance that waited for another's run uses that
   * run's result when it is still current, rather than computing the same again.
   */
  async recompute(): Promise<Analysis> {
    if (!this.runLock) return this.run();
    return this.runLock.withLock(async () => (await this.current()) ?? this.run());
  }

  private async run(): Promise<Analysis> {
    const stamp = await this.store.stamp();
    const analysis = await this.compute(this.defaultMinScore);
    await this.prisma.duplicateAnalysis.create({
      data: {
        minScore: analysis.minScore,
        applicationCount: stamp.count,
        catalogueStamp: stamp.latest,
        clusters: analysis.clusters.map((c) => ({ ...c, savingRupiah: c.savingRupiah.toString() })) as unknown as object,
        durationMs: analysis.durationMs,
        decisionCount: analysis.decisionCount,
      },
    });
    // Only the latest is read; older ones would only grow the table.
    await this.prisma.duplicateAnalysis.deleteMany({ where: { createdAt: { lt: analysis.computedAt } } });
    this.logger.info({ applications: stamp.count, clusters: analysis.clusters.length, ms: analysis.durationMs }, 'duplicate analysis stored');
    return analysis;
  }

  private async current(): Promise<Analysis | null> {
    const latest = await this.prisma.duplicateAnalysis.findFirst({ where: { minScore: this.defaultMinScore }, orderBy: { createdAt: 'desc' } });
    if (!latest) return null;
    const stamp = await this.store.stamp();
    if (stamp.count !== latest.applicationCount || stamp.latest.getTime() !== latest.catalogueStamp.getTime()) return null;
    if ((await this.decisions.count()) !== latest.decisionCount) return null;
    return {
      minScore: latest.minScore,
      applicationCount: latest.applicationCount,
      clusters: (latest.clusters as unknown as StoredCluster[]).map((c) => ({ ...c, savingRupiah: BigInt(c.savingRupiah) })),
      computedAt: latest.createdAt,
      durationMs: latest.durationMs,
      decisionCount: latest.decisionCount,
    };
  }

  private async compute(minScore: number): Promise<Analysis> {
    const computedAt = new Date();
    const started = performance.now();
    const [rows, history] = await Promise.all([this.store.catalogue(), this.decisions.history()]);
    const entries: CatalogueEntry[] = rows.map((row) => ({
      id: row.id,
      agencyCode: row.ownerAgencyCode,
      name: row.name,
      description: row.description,
      functionCodes: row.functionCodes,
      kind: row.kind,
      annualCostRupiah: row.annualCostRupiah,
      userCount: row.userCount,
    }));
    const { together, apart } = effectiveDecisions(history);
    const { clusters } = findDuplicates(entries, { minScore, commonApplicationName, decisions: { together, apart } });
    return {
      minScore,
      applicationCount: rows.length,
      clusters,
      computedAt,
      durationMs: Math.round(performance.now() - started),
      decisionCount: history.length,
    };
  }
}
