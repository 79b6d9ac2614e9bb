import { useMemo, useState } from 'react';
import { useGraphQuery } from '../api/graph-context.tsx';
import { AGENCY_TRAFFIC_QUERY } from '../api/queries.ts';
import type { AgencyTraffic, MetricSeries } from '../api/telemetry-types.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { RangePicker } from '../components/range-picker.tsx';
import { alignSeries } from '../components/metric-charts.ts';
import { Badge } from '../components/status-badge.tsx';
import { TimeSeriesChart } from '../components/time-series-chart.tsx';
import { formatAgo, formatMs, formatRate, minutesAgo } from '../format.ts';
import { tracesHref } from '../router.ts';

const RANGES = { '1 hour': 60, '24 hours': 1440, '7 days': 10_080 } as const;

/** Who a row is: an agency system (API client) or an agency's users. */
export function callerLabel(row: AgencyTraffic): string {
  if (row.clientKind === 'API_CLIENT') return `API client ${row.apiClientId ?? '?'}${row.agencyCode ? ` (${row.agencyCode})` : ''}`;
  if (row.clientKind === 'ANONYMOUS') return 'anonymous callers';
  return `${row.agencyCode ?? 'no agency'} users`;
}

/** Page 6: which agency systems and API clients call what, how often, and with which errors. */
export function AgencyTrafficPage() {
  const [range, setRange] = useState<keyof typeof RANGES>('24 hours');
  const from = useMemo(() => minutesAgo(RANGES[range]), [range]);
  // The chart is per minute, so it shows the last hour whatever the tables cover.
  const chartFrom = useMemo(() => minutesAgo(60), [range]);
  const { data, error } = useGraphQuery<{ agencyTraffic: AgencyTraffic[]; agencies: MetricSeries[] }>(AGENCY_TRAFFIC_QUERY, { from, chartFrom });
  const period = { from: new Date(chartFrom).getTime(), to: Date.now() };

  return (
    <div className="stack">
      <div className="page-title">
        <h1>Agency traffic</h1>
        <RangePicker ranges={RANGES} value={range} onChange={setRange} />
      </div>
      {error && <ErrorNotice error={error} />}
      {data && data.agencies.length > 0 && (
        <section className="card">
          <TimeSeriesChart
            title="Requests per second, by agency, over the last hour"
            data={alignSeries(data.agencies, (p) => p.rate, period, { quietAs: 0 })}
            unit={formatRate}
          />
        </section>
      )}
      {data && data.agencyTraffic.length === 0 && <p className="muted">No agency called the platform in this window.</p>}
      {data?.agencyTraffic.map((row) => (
        <section key={`${row.clientKind}/${row.agencyCode}/${row.apiClientId}`} className="card" aria-label={callerLabel(row)}>
          <h2>
            {callerLabel(row)}{' '}
            <span className="muted small">
              {row.count} operations · last {formatAgo(row.lastSeen)}
            </span>{' '}
            {row.errors > 0 && <Badge tone="bad">{row.errors} errors</Badge>}
          </h2>
          <table className="table">
            <thead>
              <tr>
                <th>Operation</th>
                <th>Services</th>
                <th className="num">Count</th>
                <th className="num">Errors</th>
                <th>Error codes</th>
                <th className="num">p95</th>
              </tr>
            </thead>
            <tbody>
              {row.operations.map((op) => (
                <tr key={op.operationName ?? '(anonymous)'}>
                  <td>
                    <a
                      href={tracesHref({
                        operation: op.operationName ?? undefined,
                        agency: row.agencyCode ?? undefined,
                        last: range === '1 hour' ? '1h' : range === '24 hours' ? '24h' : '7d',
                      })}
                    >
                      {op.operationName ?? '(anonymous)'}
                    </a>
                  </td>
                  <td className="small">{op.services.join(', ')}</td>
                  <td className="num">{op.count}</td>
                  <td className={`num${op.errors ? ' text-bad' : ''}`}>{op.errors}</td>
                  <td className="small">{op.errorCodes.map((e) => `${e.code} × ${e.count}`).join(', ') || '–'}</td>
                  <td className="num">{formatMs(op.p95Ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
