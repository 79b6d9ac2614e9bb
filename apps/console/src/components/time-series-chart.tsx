import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { colorFor } from './colors.ts';

let drawable: boolean | undefined;
/** False where there is no 2D canvas (a test DOM): the tables beside the charts still have the numbers. */
function canDraw(): boolean {
  drawable ??= typeof document !== 'undefined' && document.createElement('canvas').getContext?.('2d') != null;
  return drawable;
}

export interface ChartSeries {
  label: string;
  /** One value per x; null leaves a gap. */
  values: (number | null)[];
  color?: string;
}

export interface ChartData {
  /** Unix seconds, ascending. */
  x: number[];
  series: ChartSeries[];
}

/**
 * A line chart of per-minute values (uPlot: canvas, no dependencies, and it sets its
 * styles through the DOM, so the console's Content-Security-Policy needs no inline styles).
 */
export function TimeSeriesChart({ title, data, unit, height = 180 }: { title: string; data: ChartData; unit: (value: number) => string; height?: number }) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = data.series.map((s) => s.label).join('\u0000');

  useEffect(() => {
    const element = container.current;
    if (!element || !canDraw() || data.series.length === 0) return;
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth || 400),
      height,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        { stroke: '#667085', grid: { stroke: '#eef0f3' } },
        { stroke: '#667085', grid: { stroke: '#eef0f3' }, size: 72, values: (_u, splits) => splits.map((v) => unit(v)) },
      ],
      series: [
        {},
        ...data.series.map((s, i) => ({
          label: s.label,
          stroke: s.color ?? colorFor(s.label, i),
          width: 2,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => (v == null ? '–' : unit(v)),
        })),
      ],
    };
    plot.current = new uPlot(options, [data.x, ...data.series.map((s) => s.values)] as uPlot.AlignedData, element);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Rebuilt when the set of series changes; new values of the same series go through setData below.
  }, [shape, height]);

  useEffect(() => {
    plot.current?.setData([data.x, ...data.series.map((s) => s.values)] as uPlot.AlignedData);
  }, [data]);

  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      {data.series.length === 0 ? <p className="muted empty-chart">No traffic in this window yet.</p> : null}
      <div ref={container} className="chart-canvas" data-series={data.series.map((s) => s.label).join(',')} />
    </figure>
  );
}
