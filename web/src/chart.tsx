import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TrafficPoint } from './traffic-series';

export type { TrafficPoint };

/**
 * Real vs bot vs VPN clicks over time, drawn by uPlot (canvas: fast with thousands of points). The x
 * axis is pinned to the first and last point (callers pass every period of the chosen range, zeros
 * included): uPlot's own range for a single point spans years. The canvas shows no text to a test or a
 * screen reader, so the box says what it drew in data-* attributes (the scale uPlot really used).
 */
export function TrafficChart({ points, label }: { points: TrafficPoint[]; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element || points.length === 0) return;
    const css = getComputedStyle(document.documentElement);
    const color = (name: string) => css.getPropertyValue(name).trim();
    const series = (name: string, stroke: string): uPlot.Series => ({
      label: name,
      stroke,
      width: 2,
      fill: `${stroke}22`,
      points: { show: points.length < 40 },
    });
    const first = points[0]!.time;
    const last = points[points.length - 1]!.time;
    // One point (a single hour or day): half a period either side, so it sits in the middle of its own axis.
    const xRange: uPlot.Range.MinMax = first === last ? [first - 1800, last + 1800] : [first, last];
    const plot = new uPlot(
      {
        width: Math.max(element.clientWidth, 240),
        height: 260,
        series: [{}, series('Real', color('--real')), series('Bot', color('--bot')), series('VPN', color('--vpn'))],
        axes: [{ stroke: color('--muted') }, { stroke: color('--muted') }],
        scales: { x: { time: true, range: () => xRange }, y: { range: (_u, _min, max) => [0, Math.max(max, 1)] } },
        hooks: {
          // The x scale as uPlot set it (the first draw included), for tests and anyone inspecting the page.
          setScale: [
            (u, key) => {
              if (key !== 'x') return;
              element.dataset.xMin = String(u.scales.x?.min ?? '');
              element.dataset.xMax = String(u.scales.x?.max ?? '');
              element.dataset.points = String(points.length);
            },
          ],
        },
      },
      [points.map((p) => p.time), points.map((p) => p.real), points.map((p) => p.bot), points.map((p) => p.vpn)],
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(element.clientWidth, 240), height: 260 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [points]);
  return <div ref={box} className="chart" role="img" aria-label={label} data-testid="traffic-chart" />;
}
