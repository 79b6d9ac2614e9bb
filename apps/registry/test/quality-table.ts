/**
 * Prints the duplicate finder's precision and recall per threshold on the tuning and the
 * held-out fixture, as the Markdown tables in the README (`npm run quality:duplicates`).
 * Pure computation: needs neither PostgreSQL nor NATS.
 */
import { DEFAULT_MIN_SCORE } from '../src/duplicates/find-duplicates.ts';
import { commonApplicationName } from '../src/functions/taxonomy.ts';
import { HELD_OUT_APPLICATIONS } from './fixtures/held-out-applications.ts';
import { LABELLED_APPLICATIONS } from './fixtures/labelled-applications.ts';
import { measure, qualityTable } from './support/quality.ts';

const thresholds = [0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7];
const verbose = process.argv.includes('--verbose');
for (const [title, entries] of [
  ['Held-out fixture (test/fixtures/held-out-applications.ts)', HELD_OUT_APPLICATIONS],
  ['Tuning fixture (test/fixtures/labelled-applications.ts)', LABELLED_APPLICATIONS],
] as const) {
  const rows = thresholds.map((minScore) => measure(entries, { minScore, commonApplicationName }));
  console.log(`${title}\n\n${qualityTable(rows, DEFAULT_MIN_SCORE)}\n`);
  if (verbose) {
    const atDefault = measure(entries, { minScore: DEFAULT_MIN_SCORE, commonApplicationName });
    console.log(`wrong at default:\n  ${atDefault.wrong.join('\n  ')}\nmissed at default:\n  ${atDefault.missed.join('\n  ')}\n`);
  }
}
