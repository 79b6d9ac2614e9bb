import { useMemo, useState } from 'react';
import { useGraphQuery } from '../api/graph-context.tsx';
import { TRACE_QUERY } from '../api/queries.ts';
import type { Trace } from '../api/telemetry-types.ts';
import { colorFor } from '../components/colors.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { SpanDetails } from '../components/span-details.tsx';
import { buildWaterfall, spanCategory, type WaterfallRow } from '../components/span-tree.ts';
import { Badge } from '../components/status-badge.tsx';
import { formatBytes, formatMs, formatTime } from '../format.ts';
import { navigate, traceHref } from '../router.ts';

/** Page 3: one trace as a waterfall, every process's spans in one tree. */
export function TracePage({ traceId, selectedSpanId }: { traceId: string; selectedSpanId: string | null }) {
  const { data, error, loading } = useGraphQuery<{ trace: Trace | null }>(TRACE_QUERY, { id: traceId });
  const trace = data?.trace;
  const { rows, totalMs } = useMemo(() => buildWaterfall(trace?.spans ?? []), [trace]);
  // Prisma's own steps (compile, serialize, the query) start folded under their operation.
  const [folded, setCollapsed] = useState<Set<string> | null>(null);
  const collapsed = folded ?? prismaInternals(rows);
  const visible = rows.filter((r) => !r.ancestors.some((a) => collapsed.has(a)));
  const selected = rows.find((r) => r.span.spanId === selectedSpanId) ?? null;

  if (error) return <ErrorNotice error={error} />;
  if (loading && !data) return <p className="muted">Loading trace {traceId}…</p>;
  if (!trace) {
    return (
      <div className="stack">
        <h1>Trace not found</h1>
        <p>
          No trace <code>{traceId}</code> is kept: it may have been sampled out (traces with errors and slow ones are always kept), be older than the retention,
          or not have reached the store yet. <a href="#/traces">Search traces</a>.
        </p>
      </div>
    );
  }
  const toggle = (id: string) =>
    setCollapsed(() => {
      const next = new Set(collapsed);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="stack">
      <div className="page-title">
        <h1>
          {trace.operationName ?? trace.rootName}{' '}
          <Badge tone={trace.status === 'ERROR' ? 'bad' : 'ok'}>{trace.status === 'ERROR' ? 'ERROR' : 'no error'}</Badge>
        </h1>
        <span className="muted mono small">trace {trace.id}</span>
      </div>
      <TraceSummaryLine trace={trace} />
      <div className={`trace-layout${selected ? ' with-details' : ''}`}>
        <section className="card waterfall" aria-label="Waterfall">
          <div className="waterfall-head">
            <span>
              Span{' '}
              <button type="button" className="link small" onClick={() => setCollapsed(new Set())}>
                expand all
              </button>{' '}
              <button type="button" className="link small" onClick={() => setCollapsed(prismaInternals(rows))}>
                fold Prisma steps
              </button>
            </span>
            <Ticks totalMs={totalMs} />
          </div>
          {visible.map((row) => (
            <WaterfallLine
              key={row.span.spanId}
              row={row}
              totalMs={totalMs}
              selected={row.span.spanId === selectedSpanId}
              collapsed={collapsed.has(row.span.spanId)}
              onToggle={() => toggle(row.span.spanId)}
              onSelect={() => navigate(traceHref(trace.id, row.span.spanId === selectedSpanId ? undefined : row.span.spanId))}
            />
          ))}
        </section>
        {selected && <SpanDetails span={selected.span} offsetMs={selected.offsetMs} />}
      </div>
    </div>
  );
}

/** Database spans with children: Prisma's operations and transactions, whose steps are detail. */
export function prismaInternals(rows: WaterfallRow[]): Set<string> {
  return new Set(rows.filter((r) => r.childCount > 0 && spanCategory(r.span) === 'db').map((r) => r.span.spanId));
}

function TraceSummaryLine({ trace }: { trace: Trace }) {
  const x = trace.exchange;
  return (
    <section className="card summary-line small">
      <span>started {formatTime(trace.startTime)}</span>
      <span>{formatMs(trace.durationMs)}</span>
      <span>{trace.spans.length} spans</span>
      <span>
        services:{' '}
        {trace.services.map((s) => (
          <span key={s} className="chip" data-color={colorFor(s)} ref={chipColor}>
            {s}
          </span>
        ))}
      </span>
      {trace.agencyCode && <span>agency {trace.agencyCode}</span>}
      <span>kept: {trace.keptBecause.toLowerCase()}</span>
      {x && (
        <span>
          exchange: {x.clientKind.toLowerCase()} {x.operationType ?? ''} · {x.natsRequests} NATS {x.natsRequests === 1 ? 'request' : 'requests'} · in{' '}
          {formatBytes(x.bytesIn)} / out {formatBytes(x.bytesOut)} ·{' '}
          <Badge tone={x.outcome === 'OK' ? 'ok' : x.outcome === 'PARTIAL' ? 'warn' : 'bad'}>{x.outcome}</Badge> {x.errorCodes.join(', ')}
        </span>
      )}
    </section>
  );
}

function chipColor(element: HTMLElement | null): void {
  if (element?.dataset.color) element.style.borderColor = element.dataset.color;
}

function Ticks({ totalMs }: { totalMs: number }) {
  return (
    <span className="ticks">
      {[0, 0.25, 0.5, 0.75, 1].map((f) => (
        <span key={f}>{formatMs(totalMs * f)}</span>
      ))}
    </span>
  );
}

const CATEGORY_LABEL = { http: 'HTTP', graphql: 'GraphQL', nats: 'NATS', db: 'Prisma', event: 'event', other: '' } as const;

function WaterfallLine(props: { row: WaterfallRow; totalMs: number; selected: boolean; collapsed: boolean; onToggle: () => void; onSelect: () => void }) {
  const { row, totalMs } = props;
  const { span } = row;
  const category = spanCategory(span);
  const place = (element: HTMLElement | null) => {
    if (!element) return;
    const left = totalMs > 0 ? (row.offsetMs / totalMs) * 100 : 0;
    element.style.left = `${Math.min(left, 99.5)}%`;
    element.style.width = `${Math.max(0.4, totalMs > 0 ? (span.durationMs / totalMs) * 100 : 100)}%`;
    element.style.backgroundColor = colorFor(span.service);
  };
  const indent = (element: HTMLElement | null) => {
    if (element) element.style.paddingLeft = `${row.depth * 14}px`;
  };
  return (
    <div
      className={`waterfall-row${props.selected ? ' selected' : ''}${span.status === 'ERROR' ? ' row-error' : ''}`}
      data-span-id={span.spanId}
      data-service={span.service}
      data-category={category}
      role="button"
      tabIndex={0}
      onClick={props.onSelect}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), props.onSelect())}
    >
      <span className="waterfall-label" ref={indent}>
        {row.childCount > 0 ? (
          <button
            type="button"
            className="twisty"
            aria-label={props.collapsed ? 'Expand' : 'Collapse'}
            onClick={(e) => {
              e.stopPropagation();
              props.onToggle();
            }}
          >
            {props.collapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span className="twisty" />
        )}
        <span className="span-service">{span.service}</span> <span className="span-name">{span.name}</span>
        {CATEGORY_LABEL[category] && <span className={`cat cat-${category}`}>{CATEGORY_LABEL[category]}</span>}
        {span.status === 'ERROR' && <span className="text-bad"> ✖</span>}
      </span>
      <span className="waterfall-track">
        <span className="waterfall-bar" ref={place} />
        <span className="waterfall-time">{formatMs(span.durationMs)}</span>
      </span>
    </div>
  );
}
