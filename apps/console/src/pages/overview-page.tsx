import { useMemo, useState } from 'react';
import { useGraph, useGraphQuery } from '../api/graph-context.tsx';
import { useLiveFeed, type LiveMessage } from '../api/live-feed.ts';
import { OVERVIEW_QUERY } from '../api/queries.ts';
import type { Instance, LiveExchange, LiveSnapshot, MetricSeries, PlatformState } from '../api/telemetry-types.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { alignSeries, percentileLines } from '../components/metric-charts.ts';
import { Badge, LiveIndicator } from '../components/status-badge.tsx';
import { TimeSeriesChart } from '../components/time-series-chart.tsx';
import { formatAgo, formatBytes, formatMs, formatPercent, formatRate, formatTime, minutesAgo } from '../format.ts';
import { traceHref, tracesHref } from '../router.ts';
import { useInterval } from '../use-interval.ts';

interface OverviewAnswer {
  instances: Instance[];
  platformState: PlatformState;
  services: MetricSeries[];
  operations: MetricSeries[];
}

const WINDOW_MINUTES = 15;
/** The charts' query runs again this often; instances and the last minute come live every 5 s. */
const REFRESH_MS = 30_000;

/** Page 1: is the platform up, and how is it doing over the last 15 minutes. */
export function OverviewPage() {
  const { session } = useGraph();
  const [from, setFrom] = useState(() => minutesAgo(WINDOW_MINUTES));
  useInterval(() => setFrom(minutesAgo(WINDOW_MINUTES)), REFRESH_MS);
  const { data, error } = useGraphQuery<OverviewAnswer>(OVERVIEW_QUERY, { from });
  const [snapshot, setSnapshot] = useState<LiveSnapshot | null>(null);
  const [recent, setRecent] = useState<LiveExchange[]>([]);
  const live = useLiveFeed(session.token, (message: LiveMessage) => {
    if (message.event === 'snapshot') setSnapshot(message.data);
    else if (message.event === 'exchange') setRecent((list) => [message.data, ...list].slice(0, 12));
  });

  const range = useMemo(() => ({ from: new Date(from).getTime(), to: new Date(from).getTime() + WINDOW_MINUTES * 60_000 }), [from]);
  const instances = useMemo(() => mergeInstances(data?.instances ?? [], snapshot), [data, snapshot]);
  const services = data?.services ?? [];
  const [latencyKey, setLatencyKey] = useState<string>('');
  const latencySeries = services.find((s) => s.key === latencyKey) ?? services.find((s) => s.key === 'gateway') ?? services[0];

  return (
    <div className="stack">
      <div className="page-title">
        <h1>Overview</h1>
        <LiveIndicator status={live} at={snapshot?.at} />
      </div>
      {error && <ErrorNotice error={error} />}
      {snapshot && <LastMinute snapshot={snapshot} />}

      {data && (
        <section className="grid-2">
          <InstancesCard instances={instances} />
          <PlatformCard state={data.platformState} />
        </section>
      )}

      {data && (
        <section className="card">
          <h2>Last {WINDOW_MINUTES} minutes</h2>
          <div className="charts">
            <TimeSeriesChart title="Requests per second, by service" data={alignSeries(services, (p) => p.rate, range, { quietAs: 0 })} unit={formatRate} />
            <TimeSeriesChart title="Error rate, by service" data={alignSeries(services, (p) => p.errorRate, range, { quietAs: 0 })} unit={formatPercent} />
            <div>
              <TimeSeriesChart
                title={`Latency of ${latencySeries?.key ?? '…'}: p50, p95, p99`}
                data={latencySeries ? percentileLines(latencySeries, range) : { x: [], series: [] }}
                unit={formatMs}
              />
              {services.length > 1 && (
                <label className="inline small">
                  Service{' '}
                  <select value={latencySeries?.key ?? ''} onChange={(e) => setLatencyKey(e.target.value)}>
                    {services.map((s) => (
                      <option key={s.key}>{s.key}</option>
                    ))}
                  </select>
                </label>
              )}
            </div>
          </div>
          <MetricsTable title="Services" series={services} link={(key) => tracesHref({ service: key })} />
          <MetricsTable title="Busiest operations" series={data.operations} link={(key) => tracesHref({ operation: key })} />
        </section>
      )}

      {!error && (
        <section className="card">
          <h2>Operations as they happen</h2>
          {recent.length === 0 ? (
            <p className="muted">Waiting for the next GraphQL operation at a gateway…</p>
          ) : (
            <table className="table" aria-label="Recent operations">
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Operation</th>
                  <th>Agency</th>
                  <th>Services</th>
                  <th className="num">Duration</th>
                  <th>Outcome</th>
                </tr>
              </thead>
              <tbody>
                {recent.map((x) => (
                  <tr key={x.id}>
                    <td>{formatTime(x.at)}</td>
                    <td>{x.traceId ? <a href={traceHref(x.traceId)}>{x.operationName ?? '(anonymous)'}</a> : (x.operationName ?? '(anonymous)')}</td>
                    <td>{x.agencyCode ?? '–'}</td>
                    <td>{x.services.join(', ') || '–'}</td>
                    <td className="num">{formatMs(x.durationMs)}</td>
                    <td>
                      <Badge tone={x.outcome === 'OK' ? 'ok' : x.outcome === 'PARTIAL' ? 'warn' : 'bad'}>{x.outcome}</Badge> {x.errorCodes.join(', ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </div>
  );
}

/** The live snapshot's instance states win over the last query's (they are newer). */
export function mergeInstances(instances: Instance[], snapshot: LiveSnapshot | null): Instance[] {
  if (!snapshot) return instances;
  const byId = new Map(instances.map((i) => [i.id, i]));
  const merged = snapshot.instances.map((live) => {
    const known = byId.get(live.id);
    return { host: null, pid: null, startedAt: null, checks: [], ...known, ...live };
  });
  return merged.sort((a, b) => a.kind.localeCompare(b.kind) || a.service.localeCompare(b.service) || a.id.localeCompare(b.id));
}

function LastMinute({ snapshot }: { snapshot: LiveSnapshot }) {
  const m = snapshot.lastMinute;
  return (
    <section className="tiles" aria-label="Last minute">
      <Tile label="Operations, last minute" value={String(m.count)} />
      <Tile label="Errors" value={String(m.errors)} tone={m.errors > 0 ? 'bad' : 'ok'} />
      <Tile label="p50" value={formatMs(m.p50Ms)} />
      <Tile label="p95" value={formatMs(m.p95Ms)} />
      <Tile label="p99" value={formatMs(m.p99Ms)} />
      <Tile label="Dead letters" value={String(snapshot.deadLetters)} tone={snapshot.deadLetters > 0 ? 'warn' : 'ok'} href="#/events" />
    </section>
  );
}

function Tile({ label, value, tone, href }: { label: string; value: string; tone?: 'ok' | 'bad' | 'warn'; href?: string }) {
  const body = (
    <>
      <span className="tile-value">{value}</span>
      <span className="tile-label">{label}</span>
    </>
  );
  return <div className={`tile${tone ? ` tile-${tone}` : ''}`}>{href ? <a href={href}>{body}</a> : body}</div>;
}

function InstancesCard({ instances }: { instances: Instance[] }) {
  return (
    <div className="card">
      <h2>Instances</h2>
      <table className="table" aria-label="Instances">
        <thead>
          <tr>
            <th>Service</th>
            <th>Instance</th>
            <th>Health</th>
            <th>Ready</th>
            <th>Last seen</th>
          </tr>
        </thead>
        <tbody>
          {instances.map((i) => (
            <tr key={i.id} data-instance={i.service}>
              <td>
                {i.service} {i.kind === 'GATEWAY' && i.service !== 'gateway' ? <span className="muted">(gateway)</span> : null}
              </td>
              <td className="mono small" title={i.id}>
                {i.host ?? ''}
                {i.pid ? `:${i.pid}` : ''}
                {i.checks.length > 0 && <div className="muted">{i.checks.map((c) => `${c.key}: ${c.value}`).join(' · ')}</div>}
              </td>
              <td>
                <Badge tone={i.healthy ? 'ok' : 'bad'}>{i.healthy ? 'healthy' : 'not answering'}</Badge>
              </td>
              <td>
                <Badge tone={i.ready ? 'ok' : 'warn'}>{i.ready ? 'ready' : 'not ready'}</Badge>
              </td>
              <td className="small">{formatAgo(i.lastSeen)}</td>
            </tr>
          ))}
          {instances.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                No instance has answered discovery yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

function PlatformCard({ state }: { state: PlatformState }) {
  const { nats } = state;
  return (
    <div className="card">
      <h2>NATS</h2>
      <p>
        <Badge tone={nats.connected ? 'ok' : 'bad'} title={nats.server ?? undefined}>
          {nats.connected ? 'connected' : 'disconnected'}
        </Badge>{' '}
        {nats.version ? <span className="muted">nats-server {nats.version}</span> : null}{' '}
        {nats.rttMs != null ? <span className="muted">· RTT {formatMs(nats.rttMs)}</span> : null}
      </p>
      {nats.jetstream && (
        <p className="small">
          JetStream: {nats.jetstream.streams} streams, {nats.jetstream.consumers} consumers, {nats.jetstream.messages} messages,{' '}
          {formatBytes(nats.jetstream.bytes)}
        </p>
      )}
      <h2>PostgreSQL</h2>
      <table className="table" aria-label="Databases">
        <thead>
          <tr>
            <th>Service</th>
            <th>Database</th>
            <th>State</th>
            <th className="num">Size</th>
            <th className="num">Connections</th>
          </tr>
        </thead>
        <tbody>
          {state.databases.map((d) => (
            <tr key={d.service}>
              <td>{d.service}</td>
              <td className="mono small">{d.database}</td>
              <td>
                <Badge tone={d.reachable ? 'ok' : 'bad'} title={d.error ?? undefined}>
                  {d.reachable ? 'reachable' : 'unreachable'}
                </Badge>
              </td>
              <td className="num">{formatBytes(d.sizeBytes)}</td>
              <td className="num">{d.connections ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MetricsTable({ title, series, link }: { title: string; series: MetricSeries[]; link: (key: string) => string }) {
  if (series.length === 0) return null;
  return (
    <table className="table" aria-label={title}>
      <thead>
        <tr>
          <th>{title}</th>
          <th className="num">Requests</th>
          <th className="num">Rate</th>
          <th className="num">Error rate</th>
          <th className="num">p50</th>
          <th className="num">p95</th>
          <th className="num">p99</th>
        </tr>
      </thead>
      <tbody>
        {series.map((s) => (
          <tr key={s.key}>
            <td>
              <a href={link(s.key)}>{s.key}</a>
            </td>
            <td className="num">{s.total.count}</td>
            <td className="num">{formatRate(s.total.rate)}</td>
            <td className={`num${s.total.errors > 0 ? ' text-bad' : ''}`}>{formatPercent(s.total.errorRate)}</td>
            <td className="num">{formatMs(s.total.p50Ms)}</td>
            <td className="num">{formatMs(s.total.p95Ms)}</td>
            <td className="num">{formatMs(s.total.p99Ms)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
