import type { MetricPoint, MetricSeries } from '../api/telemetry-types.ts';
import type { ChartData } from './time-series-chart.tsx';

/**
 * Lines up per-minute series on one time axis: every minute of the window, so a quiet
 * minute shows as 0 requests (a gap for latencies: there was nothing to measure).
 */
export function alignSeries(
  series: MetricSeries[],
  value: (point: MetricPoint) => number | null,
  window: { from: number; to: number },
  options: { quietAs: 0 | null },
): ChartData {
  const firstMinute = Math.floor(window.from / 60_000) * 60_000;
  const x: number[] = [];
  for (let t = firstMinute; t <= window.to; t += 60_000) x.push(t / 1000);
  return {
    x,
    series: series.map((s) => {
      const byMinute = new Map(s.points.map((p) => [Math.floor(new Date(p.minute).getTime() / 60_000) * 60, p]));
      return { label: s.key, values: x.map((sec) => (byMinute.has(sec) ? value(byMinute.get(sec)!) : options.quietAs)) };
    }),
  };
}

/** p50, p95 and p99 of one series as three lines. */
export function percentileLines(series: MetricSeries, window: { from: number; to: number }): ChartData {
  const base = alignSeries([series], () => null, window, { quietAs: null });
  const pick = (f: (p: MetricPoint) => number | null) => alignSeries([series], f, window, { quietAs: null }).series[0]!.values;
  return {
    x: base.x,
    series: [
      { label: 'p50', values: pick((p) => p.p50Ms), color: '#16a34a' },
      { label: 'p95', values: pick((p) => p.p95Ms), color: '#ca8a04' },
      { label: 'p99', values: pick((p) => p.p99Ms), color: '#dc2626' },
    ],
  };
}
