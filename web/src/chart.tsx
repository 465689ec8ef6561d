import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface TrafficPoint {
  /** Unix seconds. */
  time: number;
  real: number;
  bot: number;
  vpn: number;
}

/** Real vs bot vs VPN clicks over time, drawn by uPlot (canvas: fast with thousands of points). */
export function TrafficChart({ points, label }: { points: TrafficPoint[]; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const css = getComputedStyle(document.documentElement);
    const color = (name: string) => css.getPropertyValue(name).trim();
    const series = (name: string, stroke: string): uPlot.Series => ({
      label: name,
      stroke,
      width: 2,
      fill: `${stroke}22`,
      points: { show: points.length < 40 },
    });
    const plot = new uPlot(
      {
        width: Math.max(element.clientWidth, 240),
        height: 260,
        series: [{}, series('Real', color('--real')), series('Bot', color('--bot')), series('VPN', color('--vpn'))],
        axes: [{ stroke: color('--muted') }, { stroke: color('--muted') }],
        scales: { x: { time: true } },
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
  return <div ref={box} className="chart" role="img" aria-label={label} />;
}
