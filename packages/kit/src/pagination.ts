import { badUserInput } from './errors.ts';

/** A Relay connection: `edges { node cursor }`, `pageInfo`, `totalCount`. */
export interface Connection<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`first: must be between 1 and ${MAX_PAGE_SIZE}`, { field: 'first' });
  }
  return first;
}

/** Cursors are opaque to clients: base64url of the sort key, tagged so a foreign cursor is refused. */
export function encodeCursor(kind: string, key: string): string {
  return Buffer.from(JSON.stringify([kind, key]), 'utf8').toString('base64url');
}

export function decodeCursor(kind: string, cursor: string | null | undefined): string | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed[0] === kind && typeof parsed[1] === 'string') return parsed[1];
  } catch {
    // falls through to the error below
  }
  throw badUserInput('after: not a cursor from this list', { field: 'after' });
}

/** Builds a page from `take + 1` rows fetched (the extra one only says whether more exist). */
export function toConnection<T>(rows: T[], take: number, totalCount: number, cursorOf: (row: T) => string): Connection<T> {
  const page = rows.slice(0, take);
  const edges = page.map((node) => ({ node, cursor: cursorOf(node) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > take,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}
