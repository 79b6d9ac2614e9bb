import { clusteredPairs, findDuplicates, type DuplicateOptions } from '../../src/duplicates/find-duplicates.ts';
import type { LabelledEntry } from '../fixtures/labelled-entry.ts';

export interface Quality {
  minScore: number;
  precision: number;
  recall: number;
  /** Pairs of different agencies the finder put in one cluster. */
  predicted: number;
  /** Pairs of different agencies the labels call duplicates. */
  truth: number;
  truePositives: number;
  /** Predicted pairs the labels do not call duplicates, as "name | name", for reading. */
  wrong: string[];
  /** Labelled pairs the finder missed, as "name | name". */
  missed: string[];
}

/** Pairs ("idA|idB", ids sorted) of different agencies with the same label. */
export function labelledPairs(entries: readonly LabelledEntry[]): Set<string> {
  const pairs = new Set<string>();
  for (const a of entries) {
    for (const b of entries) {
      if (a.id < b.id && a.group !== null && a.group === b.group && a.agencyCode !== b.agencyCode) pairs.add(`${a.id}|${b.id}`);
    }
  }
  return pairs;
}

/** Precision and recall of the finder's clustered pairs against the labels. */
export function measure(entries: readonly LabelledEntry[], options: DuplicateOptions & { minScore: number }): Quality {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const predicted = clusteredPairs(findDuplicates(entries, options), (id) => byId.get(id)!.agencyCode);
  const truth = labelledPairs(entries);
  const names = (pair: string) =>
    pair
      .split('|')
      .map((id) => byId.get(id)!.name)
      .join(' | ');
  const truePositives = [...predicted].filter((p) => truth.has(p)).length;
  return {
    minScore: options.minScore,
    precision: predicted.size === 0 ? 1 : truePositives / predicted.size,
    recall: truth.size === 0 ? 1 : truePositives / truth.size,
    predicted: predicted.size,
    truth: truth.size,
    truePositives,
    wrong: [...predicted].filter((p) => !truth.has(p)).map(names),
    missed: [...truth].filter((p) => !predicted.has(p)).map(names),
  };
}

/** A Markdown table of precision and recall per threshold. */
export function qualityTable(rows: readonly Quality[], defaultMinScore: number): string {
  const lines = ['| threshold | precision | recall | pairs proposed | true pairs |', '|---|---|---|---|---|'];
  for (const q of rows) {
    const mark = q.minScore === defaultMinScore ? ' (default)' : '';
    lines.push(`| ${q.minScore.toFixed(2)}${mark} | ${q.precision.toFixed(2)} | ${q.recall.toFixed(2)} | ${q.predicted} | ${q.truth} |`);
  }
  return lines.join('\n');
}
