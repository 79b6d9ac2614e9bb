import { tokenize } from './text.ts';

/**
 * TF-IDF vectors of a set of texts. A word that few texts use weighs more than one that
 * many use: idf = ln((N + 1) / df), tf = 1 + ln(count); each vector has length 1, so the
 * dot product of two is their cosine similarity.
 */
export interface TermVector {
  /** Term ids, ascending. */
  terms: Int32Array;
  weights: Float64Array;
}

export interface Corpus {
  vectors: TermVector[];
  /** Document frequency per term id. */
  df: Int32Array;
  idf: Float64Array;
  /** A readable word for each term id (the first way it was written). */
  words: string[];
  size: number;
}

export function buildCorpus(texts: readonly string[]): Corpus {
  const ids = new Map<string, number>();
  const words: string[] = [];
  const dfList: number[] = [];
  const counted: Map<number, number>[] = [];
  for (const text of texts) {
    const counts = new Map<number, number>();
    for (const token of tokenize(text)) {
      let id = ids.get(token.stem);
      if (id === undefined) {
        id = words.length;
        ids.set(token.stem, id);
        words.push(token.surface);
        dfList.push(0);
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    for (const id of counts.keys()) dfList[id] = (dfList[id] ?? 0) + 1;
    counted.push(counts);
  }
  const size = texts.length;
  const df = Int32Array.from(dfList);
  const idf = Float64Array.from(dfList, (d) => Math.log((size + 1) / d));
  const vectors = counted.map((counts) => {
    const terms = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
    const weights = Float64Array.from(terms, (t) => (1 + Math.log(counts.get(t) as number)) * (idf[t] as number));
    let norm = 0;
    for (const w of weights) norm += w * w;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] as number) / norm;
    return { terms, weights };
  });
  return { vectors, df, idf, words, size };
}

/** Cosine similarity of two unit vectors (a merge over their sorted term ids). */
export function cosine(a: TermVector, b: TermVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  const at = a.terms;
  const bt = b.terms;
  while (i < at.length && j < bt.length) {
    const x = at[i] as number;
    const y = bt[j] as number;
    if (x === y) {
      sum += (a.weights[i] as number) * (b.weights[j] as number);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return sum;
}

/** Term ids of a vector ordered by weight, heaviest (rarest and most repeated) first. */
export function heaviestTerms(vector: TermVector, limit: number): number[] {
  const order = Array.from(vector.terms.keys()).sort((x, y) => (vector.weights[y] as number) - (vector.weights[x] as number));
  return order.slice(0, limit).map((k) => vector.terms[k] as number);
}
