// Spend over time as bars (uPlot), with the same numbers in a table for
// screen readers and keyboard users.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { usd } from "./ui";

export type Point = { label: string; t: number; spend: number; requests: number };

export function SpendChart({ points, title }: { points: Point[]; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const step = points.length > 1 ? points[1].t - points[0].t : 86_400;
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 240),
      height: 220,
      legend: { show: false },
      scales: {
        // Half a period of room on each side so the first and last bars show whole.
        x: { time: true, range: (_u, min, max) => [min - step / 2, max + step / 2] },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] } },
      // One tick per bar, labelled with its period (e.g. "11-17"), not uPlot's clock times.
      axes: [{ splits: () => points.map((p) => p.t), values: (_u, ticks) => ticks.map((t) => points.find((p) => p.t === t)?.label.slice(5) ?? "") }, { values: (_u, ticks) => ticks.map((v) => (v === 0 ? "$0" : "$" + v.toFixed(v < 1 ? 2 : 0))), size: 60 }],
      series: [
        {},
        {
          label: "Spend",
          fill: "rgba(37, 99, 235, 0.55)",
          stroke: "rgb(37, 99, 235)",
          paths: uPlot.paths.bars!({ size: [0.6, 64] }),
          points: { show: false },
        },
      ],
    };
    const plot = new uPlot(opts, [points.map((p) => p.t), points.map((p) => p.spend)], el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 240), height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [points]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} aria-hidden="true" />
      <table class="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th>Period</th>
            <th>Spend</th>
            <th>Requests</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr>
              <td>{p.label}</td>
              <td>{usd(String(p.spend))}</td>
              <td>{p.requests}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
