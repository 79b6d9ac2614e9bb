import type { Span } from '../api/telemetry-types.ts';

export interface WaterfallRow {
  span: Span;
  depth: number;
  /** From the trace's first span start, in milliseconds (from startTimeUnixNano: sub-ms exact). */
  offsetMs: number;
  childCount: number;
  /** Ids of the ancestors, root first: a collapsed ancestor hides the row. */
  ancestors: string[];
}

/**
 * Orders a trace's spans as one tree, depth first, children by start time. A span whose
 * parent was not received (sampled out elsewhere, or from a caller outside Simpul) is
 * put at the top level rather than dropped, so every span of the trace is shown.
 */
export function buildWaterfall(spans: Span[]): { rows: WaterfallRow[]; totalMs: number } {
  if (spans.length === 0) return { rows: [], totalMs: 0 };
  const start = (s: Span) => BigInt(s.startTimeUnixNano);
  const origin = spans.reduce((min, s) => (start(s) < min ? start(s) : min), start(spans[0]!));
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | null, Span[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) && span.parentSpanId !== span.spanId ? span.parentSpanId : null;
    const list = children.get(parent) ?? [];
    list.push(span);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort((a, b) => (start(a) < start(b) ? -1 : start(a) > start(b) ? 1 : 0));
  const rows: WaterfallRow[] = [];
  const seen = new Set<string>();
  const visit = (span: Span, depth: number, ancestors: string[]) => {
    if (seen.has(span.spanId)) return; // a cycle in bad data must not loop
    seen.add(span.spanId);
    const kids = children.get(span.spanId) ?? [];
    rows.push({ span, depth, offsetMs: Number(start(span) - origin) / 1e6, childCount: kids.length, ancestors });
    for (const child of kids) visit(child, depth + 1, [...ancestors, span.spanId]);
  };
  for (const root of children.get(null) ?? []) visit(root, 0, []);
  // Spans only reachable through a cycle: shown at the top level too.
  for (const span of spans) if (!seen.has(span.spanId)) visit(span, 0, []);
  const totalMs = Math.max(...rows.map((r) => r.offsetMs + r.span.durationMs));
  return { rows, totalMs };
}

/** What a span is, in the words of the platform: HTTP, GraphQL, NATS, Prisma, outbox, JetStream. */
export function spanCategory(span: Span): 'http' | 'graphql' | 'nats' | 'db' | 'event' | 'other' {
  const value = (key: string) => span.attributes.find((a) => a.key === key)?.value;
  const name = span.name.toLowerCase();
  if (value('db.system') !== undefined || name.startsWith('prisma')) return 'db';
  if (value('messaging.system') === 'nats' || name.startsWith('nats ')) return 'nats';
  if (span.kind === 'PRODUCER' || span.kind === 'CONSUMER' || name.includes('outbox') || name.includes('jetstream')) return 'event';
  if (value('http.request.method') !== undefined || name.startsWith('http ')) return 'http';
  if (value('graphql.operation.name') !== undefined || name.includes('graphql')) return 'graphql';
  return 'other';
}
