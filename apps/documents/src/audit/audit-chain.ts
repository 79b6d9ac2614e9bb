import { canonicalJson, sha256Hex } from '../support/canonical-json.ts';

/**
 * Every action on a document is an entry whose hash covers the previous entry's hash,
 * so altering or removing an entry breaks every hash after it. The document row keeps
 * the head hash and the count, so removing the newest entries is noticed too.
 */
export interface ChainEntry {
  seq: number;
  action: string;
  actor: string;
  detail: unknown;
  at: Date;
  previousHash: string;
  hash: string;
}

export const GENESIS_HASH = '';

export function entryHash(documentId: string, entry: Omit<ChainEntry, 'hash'>): string {
  return sha256Hex(
    canonicalJson({
      documentId,
      seq: entry.seq,
      action: entry.action,
      actor: entry.actor,
      detail: entry.detail,
      at: entry.at.toISOString(),
      previousHash: entry.previousHash,
    }),
  );
}

export type ChainCheck = { intact: true } | { intact: false; brokenAtSeq: number; problem: string };

/** Checks a document's entries (in any order) against the head hash and count kept on the document. */
export function checkChain(documentId: string, entries: readonly ChainEntry[], head: { hash: string; count: number }): ChainCheck {
  const sorted = [...entries].sort((a, b) => a.seq - b.seq);
  let previous = GENESIS_HASH;
  for (let i = 0; i < sorted.length; i++) {
    const entry = sorted[i] as ChainEntry;
    const expectedSeq = i + 1;
    if (entry.seq !== expectedSeq) return { intact: false, brokenAtSeq: expectedSeq, problem: `entry ${expectedSeq} is missing` };
    if (entry.previousHash !== previous) {
      return { intact: false, brokenAtSeq: entry.seq, problem: `entry ${entry.seq} does not follow the entry before it` };
    }
    if (entryHash(documentId, entry) !== entry.hash) {
      return { intact: false, brokenAtSeq: entry.seq, problem: `entry ${entry.seq} was altered after it was written` };
    }
    previous = entry.hash;
  }
  if (sorted.length !== head.count || previous !== head.hash) {
    const at = Math.min(sorted.length, head.count) + 1;
    return { intact: false, brokenAtSeq: at, problem: `the trail ends at entry ${sorted.length} but ${head.count} were written` };
  }
  return { intact: true };
}
