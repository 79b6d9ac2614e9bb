import { useMemo, useState, type FormEvent } from 'react';
import { useGraphQuery } from '../api/graph-context.tsx';
import { TRACES_QUERY } from '../api/queries.ts';
import type { TraceSummary } from '../api/telemetry-types.ts';
import { colorFor } from '../components/colors.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Badge } from '../components/status-badge.tsx';
import { formatMs, formatTime, minutesAgo } from '../format.ts';
import { navigate, traceHref, tracesHref } from '../router.ts';

interface TracesAnswer {
  traces: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: TraceSummary }[] };
}

const FIELDS = ['show', 'service', 'operation', 'agency', 'user', 'status', 'minMs', 'last', 'from', 'to'] as const;
type Field = (typeof FIELDS)[number];
const RANGES: Record<string, number> = { '15m': 15, '1h': 60, '6h': 360, '24h': 1440, '7d': 10_080 };
const PAGE_SIZE = 50;

/** The search form's values, read from and written to the page's address (#/traces?service=…). */
export function traceFilterFrom(query: URLSearchParams, now: number = Date.now()): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  const text = (key: Field) => query.get(key)?.trim() || undefined;
  if (text('service')) filter.service = text('service');
  // By default only what came through a gateway: a service's own background work (its
  // outbox relay, sweeps) makes root-less traces that would bury the operations.
  else if (text('show') !== 'all') filter.service = 'gateway';
  if (text('operation')) filter.operation = text('operation');
  if (text('agency')) filter.agencyCode = text('agency')!.toUpperCase();
  if (text('user')) filter.userId = text('user');
  if (text('status')) filter.status = text('status');
  const minMs = Number(text('minMs'));
  if (text('minMs') && Number.isFinite(minMs)) filter.minDurationMs = minMs;
  const last = text('last') ?? (text('from') ? undefined : '1h');
  if (last && RANGES[last]) filter.from = minutesAgo(RANGES[last], now);
  else if (text('from')) filter.from = new Date(text('from')!).toISOString();
  if (text('to')) filter.to = new Date(text('to')!).toISOString();
  return filter;
}

/** Page 2: find traces by service, operation, agency, user, status, duration and time. */
export function TracesPage({ query }: { query: URLSearchParams }) {
  const [pages, setPages] = useState(1);
  const [searches, setSearches] = useState(0);
  const queryKey = query.toString();
  // A new address or a new press of Search is a new search, with a fresh "from" for relative ranges.
  const filter = useMemo(() => traceFilterFrom(new URLSearchParams(queryKey)), [queryKey, searches]);
  const { data, error, loading } = useGraphQuery<TracesAnswer>(TRACES_QUERY, { filter, first: PAGE_SIZE * pages });
  const traces = data?.traces.edges.map((e) => e.node) ?? [];
  const longest = Math.max(1, ...traces.map((t) => t.durationMs));

  return (
    <div className="stack">
      <div className="page-title">
        <h1>Traces</h1>
        <span className="muted">
          {data ? `${data.traces.totalCount} kept ${data.traces.totalCount === 1 ? 'trace matches' : 'traces match'}` : loading ? 'searching…' : ''}
        </span>
      </div>
      <SearchForm query={query} onSearch={() => setPages(1)} onRefresh={() => setSearches((n) => n + 1)} />
      {error && <ErrorNotice error={error} />}
      <table className="table traces" aria-label="Traces">
        <thead>
          <tr>
            <th>Started</th>
            <th>Root</th>
            <th>Services</th>
            <th className="num">Spans</th>
            <th>Agency / user</th>
            <th className="bar-col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {traces.map((t) => (
            <tr key={t.id} data-trace-id={t.id} className={t.status === 'ERROR' ? 'row-error' : undefined}>
              <td className="small">{formatTime(t.startTime)}</td>
              <td>
                <a href={traceHref(t.id)}>
                  <span className="service-dot" data-color={colorFor(t.rootService)} ref={dotColor} /> {t.operationName ?? t.rootName}
                </a>
                <div className="muted small">
                  {t.rootService}: {t.rootName}{' '}
                  {t.keptBecause !== 'SAMPLED' && <Badge tone={t.keptBecause === 'ERROR' ? 'bad' : 'warn'}>{t.keptBecause.toLowerCase()}</Badge>}
                </div>
              </td>
              <td className="small">{t.services.join(', ')}</td>
              <td className="num">
                {t.spanCount}
                {t.errorCount > 0 && <span className="text-bad"> ({t.errorCount} errors)</span>}
              </td>
              <td className="small">
                {t.agencyCode ?? '–'}
                {t.userId ? (
                  <div className="muted mono" title={t.userId}>
                    {t.userId.slice(0, 8)}…
                  </div>
                ) : null}
              </td>
              <td className="bar-col">
                <DurationBar ms={t.durationMs} longest={longest} error={t.status === 'ERROR'} />
              </td>
            </tr>
          ))}
          {data && traces.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No kept trace matches. Widen the time range, or remove a filter.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {data?.traces.pageInfo.hasNextPage && (
        <button type="button" onClick={() => setPages((n) => n + 1)}>
          Show {PAGE_SIZE} more
        </button>
      )}
    </div>
  );
}

/** Sets a dot's colour through the DOM (no inline style attribute, for the CSP). */
export function dotColor(element: HTMLElement | null): void {
  if (element?.dataset.color) element.style.backgroundColor = element.dataset.color;
}

export function DurationBar({ ms, longest, error }: { ms: number; longest: number; error?: boolean }) {
  const ref = (element: HTMLElement | null) => {
    if (element) element.style.width = `${Math.max(0.5, (ms / longest) * 100)}%`;
  };
  return (
    <div className="duration" title={formatMs(ms)}>
      <div className={`duration-bar${error ? ' duration-bar-error' : ''}`} ref={ref} />
      <span className="duration-label">{formatMs(ms)}</span>
    </div>
  );
}

function SearchForm({ query, onSearch, onRefresh }: { query: URLSearchParams; onSearch: () => void; onRefresh: () => void }) {
  const [values, setValues] = useState<Record<Field, string>>(
    () => Object.fromEntries(FIELDS.map((f) => [f, query.get(f) ?? (f === 'last' && !query.get('from') ? '1h' : '')])) as Record<Field, string>,
  );
  const set = (field: Field) => (event: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: event.target.value }));
  function submit(event: FormEvent) {
    event.preventDefault();
    onSearch();
    const href = tracesHref({ ...values, ...(values.last === 'custom' ? { last: undefined } : { from: undefined, to: undefined }) });
    if (href === `#/traces?${query.toString()}`) onRefresh();
    else navigate(href);
  }
  return (
    <form className="card filters" onSubmit={submit} aria-label="Search traces">
      <label>
        Show
        <select name="show" value={values.show || 'operations'} onChange={set('show')}>
          <option value="operations">operations through a gateway</option>
          <option value="all">all traces</option>
        </select>
      </label>
      <label>
        Service
        <input name="service" list="known-services" value={values.service} onChange={set('service')} placeholder="any" />
        <datalist id="known-services">
          {['gateway', 'identity', 'personnel', 'documents', 'registry', 'telemetry'].map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </label>
      <label>
        Operation
        <input name="operation" value={values.operation} onChange={set('operation')} placeholder="e.g. AppointEmployee" />
      </label>
      <label>
        Agency
        <input name="agency" value={values.agency} onChange={set('agency')} placeholder="e.g. KAB-BANYUWANGI" />
      </label>
      <label>
        User id
        <input name="user" value={values.user} onChange={set('user')} placeholder="token subject" />
      </label>
      <label>
        Status
        <select name="status" value={values.status} onChange={set('status')}>
          <option value="">any</option>
          <option value="ERROR">error</option>
          <option value="OK">ok</option>
          <option value="UNSET">unset</option>
        </select>
      </label>
      <label>
        Min. duration (ms)
        <input name="minMs" type="number" min="0" step="any" value={values.minMs} onChange={set('minMs')} />
      </label>
      <label>
        Time range
        <select name="last" value={values.last || 'custom'} onChange={set('last')}>
          {Object.keys(RANGES).map((r) => (
            <option key={r} value={r}>
              last {r}
            </option>
          ))}
          <option value="custom">from … to …</option>
        </select>
      </label>
      {(values.last === 'custom' || !values.last) && (
        <>
          <label>
            From
            <input name="from" type="datetime-local" value={values.from} onChange={set('from')} />
          </label>
          <label>
            To
            <input name="to" type="datetime-local" value={values.to} onChange={set('to')} />
          </label>
        </>
      )}
      <button type="submit">Search</button>
    </form>
  );
}
