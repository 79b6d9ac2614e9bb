import { useMemo, useState } from 'react';
import { useGraphQuery } from '../api/graph-context.tsx';
import { SERVICE_MAP_QUERY } from '../api/queries.ts';
import type { ServiceMap, ServiceMapEdge } from '../api/telemetry-types.ts';
import { colorFor } from '../components/colors.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { RangePicker } from '../components/range-picker.tsx';
import { edgePath, layoutServiceMap, MAP_COLUMNS, NODE_HALF_WIDTH } from '../components/map-layout.ts';
import { minutesAgo } from '../format.ts';
import { tracesHref } from '../router.ts';
import { useInterval } from '../use-interval.ts';

const RANGES = { '15 minutes': 15, '1 hour': 60, '24 hours': 1440 } as const;

/** Page 4: who calls whom, and which events flow where, with rates and errors. */
export function ServiceMapPage() {
  const [range, setRange] = useState<keyof typeof RANGES>('1 hour');
  const [tick, setTick] = useState(0);
  useInterval(() => setTick((t) => t + 1), 30_000);
  const from = useMemo(() => minutesAgo(RANGES[range]), [range, tick]);
  const { data, error } = useGraphQuery<{ serviceMap: ServiceMap }>(SERVICE_MAP_QUERY, { from });
  const [hover, setHover] = useState<ServiceMapEdge | null>(null);

  return (
    <div className="stack">
      <div className="page-title">
        <h1>Service map</h1>
        <RangePicker ranges={RANGES} value={range} onChange={setRange} />
      </div>
      {error && <ErrorNotice error={error} />}
      {data && <MapPicture map={data.serviceMap} onHover={setHover} />}
      {hover && (
        <p className="small">
          {hover.from} → {hover.to} {hover.label ? `(${hover.label})` : ''}: {hover.count} {hover.kind === 'EVENT' ? 'events' : 'calls'},{' '}
          {hover.rate.toFixed(2)}/min, {hover.errors} errors
        </p>
      )}
      {data && <EdgeTable edges={data.serviceMap.edges} />}
    </div>
  );
}

function MapPicture({ map, onHover }: { map: ServiceMap; onHover: (edge: ServiceMapEdge | null) => void }) {
  const { nodes, width, height } = layoutServiceMap(map);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const maxCount = Math.max(1, ...map.edges.map((e) => e.count));
  const lanes = new Map<string, number>();
  if (nodes.length === 0) return <p className="muted">No traffic in this window yet.</p>;
  return (
    <section className="card map">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label="Service map" className="map-svg">
        <defs>
          {(['call', 'event'] as const).map((kind) => (
            <marker
              key={kind}
              id={`arrow-${kind}`}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="9"
              markerHeight="9"
              markerUnits="userSpaceOnUse"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" className={`arrow-${kind}`} />
            </marker>
          ))}
        </defs>
        <text x={MAP_COLUMNS.AGENCY_SYSTEM} y={24} className="map-column">
          agency systems
        </text>
        <text x={MAP_COLUMNS.GATEWAY} y={24} className="map-column">
          gateway
        </text>
        <text x={MAP_COLUMNS.SERVICE} y={24} className="map-column">
          services
        </text>
        {map.edges.map((edge, i) => {
          const from = byId.get(edge.from);
          const to = byId.get(edge.to);
          if (!from || !to) return null;
          const pair = [edge.from, edge.to].sort().join('|');
          const lane = lanes.get(pair) ?? 0;
          lanes.set(pair, lane + 1);
          const d = edgePath(from, to, lane);
          const strokeWidth = edge.count === 0 ? 1 : 1.5 + (edge.count / maxCount) * 4;
          return (
            <g
              key={i}
              className={`map-edge map-edge-${edge.kind.toLowerCase()}${edge.errors > 0 ? ' map-edge-errors' : ''}${edge.count === 0 ? ' map-edge-idle' : ''}`}
              data-edge={`${edge.from}->${edge.to}`}
              onMouseEnter={() => onHover(edge)}
              onMouseLeave={() => onHover(null)}
            >
              <path d={d} strokeWidth={strokeWidth} markerEnd={`url(#arrow-${edge.kind.toLowerCase()})`} fill="none" />
              <title>
                {edge.from} → {edge.to}: {edge.count} {edge.kind === 'EVENT' ? `events ${edge.label ?? ''}` : 'calls'}, {edge.rate.toFixed(2)}/min,{' '}
                {edge.errors} errors
              </title>
              {edge.count > 0 && (
                <EdgeLabel
                  d={d}
                  text={`${edge.count}${edge.kind === 'EVENT' ? ' events' : ''} · ${edge.rate.toFixed(1)}/min${edge.errors ? ` · ${edge.errors} err` : ''}`}
                />
              )}
            </g>
          );
        })}
        {nodes.map((node) => (
          <a
            key={node.id}
            href={
              node.kind === 'SERVICE' || node.kind === 'GATEWAY'
                ? tracesHref({ service: node.id })
                : tracesHref({ agency: node.id.replace(/^(agency|client):/, '') })
            }
          >
            <g className={`map-node map-node-${node.kind.toLowerCase()}`} data-node={node.id}>
              <rect
                x={node.x - NODE_HALF_WIDTH}
                y={node.y - 20}
                width={NODE_HALF_WIDTH * 2}
                height={40}
                rx={node.kind === 'AGENCY_SYSTEM' ? 20 : 6}
                stroke={colorFor(node.label)}
              />
              <text x={node.x} y={node.y + 5} textAnchor="middle">
                {node.label.length > 20 ? `${node.label.slice(0, 19)}…` : node.label}
              </text>
            </g>
          </a>
        ))}
      </svg>
      <p className="muted small">
        Solid: calls (GraphQL over NATS). Dashed: events over JetStream; dotted: a subscription that carried nothing in this window. Red: with errors. Line
        width: traffic.
      </p>
    </section>
  );
}

/**
 * A label at the middle of a cubic curve (t = 0.5): above a call between columns, right of
 * an event arc's apex.
 */
function EdgeLabel({ d, text }: { d: string; text: string }) {
  const n = d.match(/-?\d+(\.\d+)?/g)!.map(Number);
  const [x0, y0, x1, y1, x2, y2, x3, y3] = n as [number, number, number, number, number, number, number, number];
  const x = (x0 + 3 * x1 + 3 * x2 + x3) / 8;
  const y = (y0 + 3 * y1 + 3 * y2 + y3) / 8;
  const arc = Math.abs(x0 - x3) < 1;
  return (
    <text x={arc ? x + 4 : x} y={arc ? y + 4 : y - 8} textAnchor={arc ? 'start' : 'middle'} className="map-edge-label">
      {text}
    </text>
  );
}

function EdgeTable({ edges }: { edges: ServiceMapEdge[] }) {
  const sorted = [...edges].sort((a, b) => b.count - a.count);
  return (
    <table className="table" aria-label="Edges">
      <thead>
        <tr>
          <th>From</th>
          <th>To</th>
          <th>Kind</th>
          <th className="num">Count</th>
          <th className="num">Per minute</th>
          <th className="num">Errors</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((e, i) => (
          <tr key={i}>
            <td>{e.from}</td>
            <td>{e.to}</td>
            <td>{e.kind === 'EVENT' ? `event ${e.label ?? ''}` : 'call'}</td>
            <td className="num">{e.count}</td>
            <td className="num">{e.rate.toFixed(2)}</td>
            <td className={`num${e.errors ? ' text-bad' : ''}`}>{e.errors}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
