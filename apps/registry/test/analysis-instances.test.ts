import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdvisoryLock, type Logger } from '@simpul/kit';
import { createRegistryParts } from '../src/registry.ts';
import { startTestRegistry, type TestRegistry } from './support/registry.ts';

/**
 * Two registry instances on one database each run the duplicate analysis when asked
 * (after an application event, or a query that finds the kept result stale). Expected:
 * one run at a time; the instance that waited uses the result the other stored.
 */
let registry: TestRegistry;
const locks: AdvisoryLock[] = [];

beforeAll(async () => {
  registry = await startTestRegistry();
}, 180_000);
afterAll(async () => {
  for (const lock of locks) await lock.close();
  await registry?.close();
});

/** A logger that counts the analysis runs an instance stored (each run logs it once). */
function countingLogger(): { logger: Logger; runs: () => number } {
  let runs = 0;
  const logger = {
    child: () => logger,
    info: (_fields: unknown, message?: string) => void (message === 'duplicate analysis stored' && runs++),
    warn: () => undefined,
    error: () => undefined,
    debug: () => undefined,
  };
  return { logger: logger as unknown as Logger, runs: () => runs };
}

/** An instance of the registry as far as the analysis goes: its own parts and its own lock connection. */
function instance() {
  const { logger, runs } = countingLogger();
  const { managers } = createRegistryParts(registry.service.prisma, {
    subjects: registry.service.subjects,
    nc: registry.client,
    minScore: registry.env.DUPLICATE_MIN_SCORE,
    logger,
    eventsWritten: () => undefined,
  });
  const lock = new AdvisoryLock(registry.service.databaseUrl, 'simpul.duplicate-analysis', { pollMs: 50 });
  locks.push(lock);
  managers.analyser.useRunLock(lock);
  return { analyser: managers.analyser, runs };
}

describe('the duplicate analysis with two registry instances', () => {
  it('runs once when both are asked at the same time; the second uses the first one’s result', { timeout: 120_000 }, async () => {
    await registry.service.managers.analyser.idle();
    const a = instance();
    const b = instance();
    for (let round = 0; round < 3; round++) {
      // Each round: no current result is kept (as after a catalogue change), and both instances are asked at once.
      await registry.service.prisma.duplicateAnalysis.deleteMany({});
      await Promise.all([a.analyser.recompute(), b.analyser.recompute()]);
    }
    console.info(`[observed] 3 rounds, both instances asked at once each time: ${a.runs() + b.runs()} analysis runs (A ${a.runs()}, B ${b.runs()})`);
    expect(a.runs() + b.runs()).toBe(3);
    expect(await registry.service.prisma.duplicateAnalysis.count()).toBe(1);
  });
});
