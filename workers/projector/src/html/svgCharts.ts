import type { ComponentStatus, UptimeBar } from '@vigil/core/projections';
import { html, type Markup } from './html';

const COLORS: Readonly<Record<ComponentStatus, string>> = {
  operational: '#2f9e44',
  degraded_performance: '#f59f00',
  partial_outage: '#e8590c',
  major_outage: '#e03131',
};
const PALETTE = ['#1c7ed6', '#e8590c', '#2f9e44', '#ae3ec9', '#f59f00', '#0ca678', '#e03131', '#495057'];

/** One bar per day, coloured by the day's worst status, with the uptime as a tooltip. */
export function uptimeBarsSvg(service: string, bars: readonly UptimeBar[]): Markup {
  const width = 4;
  const gap = 2;
  const total = bars.length * (width + gap) - gap;
  return html`<svg class="uptime" role="img" aria-label="${`${service}: ${bars.length}-day uptime`}" viewBox="0 0 ${total} 34" preserveAspectRatio="none">${bars.map(
    (bar, index) =>
      html`<rect x="${index * (width + gap)}" y="0" width="${width}" height="34" rx="1" fill="${COLORS[bar.worst]}" data-date="${bar.date}"><title>${`${bar.date}: ${(bar.uptime * 100).toFixed(2)}% uptime`}</title></rect>`,
  )}</svg>`;
}

type Series = { readonly name: string; readonly values: readonly (number | null)[] };

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 56, right: 12, top: 28, bottom: 36 };

function frame(
  title: string,
  labels: readonly string[],
  max: number,
  unit: string,
  body: Markup,
  series: readonly Series[],
) {
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const ticks = [0, 0.5, 1].map((fraction) => ({
    y: PAD.top + plotHeight * (1 - fraction),
    value: max * fraction,
  }));
  const step = (WIDTH - PAD.left - PAD.right) / Math.max(1, labels.length);
  return html`<svg role="img" aria-label="${title}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" class="chart" data-chart="${title}">
<text x="${PAD.left}" y="16" font-size="13" font-weight="600">${title}</text>
${ticks.map(
  (tick) =>
    html`<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${tick.y}" y2="${tick.y}" stroke="#e9ecef"/><text x="${PAD.left - 6}" y="${tick.y + 4}" font-size="10" text-anchor="end">${formatValue(tick.value, unit)}</text>`,
)}
${labels.map((label, index) =>
  index % 2 === 0
    ? html`<text x="${PAD.left + step * (index + 0.5)}" y="${HEIGHT - PAD.bottom + 14}" font-size="10" text-anchor="middle">${label}</text>`
    : '',
)}
${body}
${series.map(
  (s, index) =>
    html`<rect x="${PAD.left + index * 130}" y="${HEIGHT - 14}" width="10" height="10" fill="${PALETTE[index % PALETTE.length]}"/><text x="${PAD.left + index * 130 + 14}" y="${HEIGHT - 5}" font-size="11">${s.name}</text>`,
)}
</svg>`;
}

function formatValue(value: number, unit: string) {
  if (unit === 'duration') {
    if (value >= 3600) return `${(value / 3600).toFixed(1)} h`;
    return value >= 60 ? `${Math.round(value / 60)} min` : `${Math.round(value)} s`;
  }
  // Half-way ticks of small counts are fractions; one decimal keeps the axis truthful.
  return String(Number(value.toFixed(1)));
}

/** Lines over labelled points; a null value leaves a gap. */
export function lineChartSvg(
  title: string,
  labels: readonly string[],
  series: readonly Series[],
  unit: 'duration' | 'count',
): Markup {
  const max = niceMax(
    series.flatMap((s) => s.values.filter((v): v is number => v !== null)),
    unit === 'duration' ? 60 : 1,
  );
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const step = (WIDTH - PAD.left - PAD.right) / Math.max(1, labels.length);
  const x = (index: number) => PAD.left + step * (index + 0.5);
  const y = (value: number) => PAD.top + plotHeight * (1 - value / max);
  const empty = series.every((s) => s.values.every((value) => value === null));
  const body = html`${empty ? html`<text x="${WIDTH / 2}" y="${HEIGHT / 2}" font-size="13" text-anchor="middle" fill="#868e96">No data in these weeks yet</text>` : ''}${series.map(
    (s, index) => {
      const color = PALETTE[index % PALETTE.length]!;
      const points = s.values.map((value, i) => (value === null ? null : ([x(i), y(value)] as const)));
      const segments: string[] = [];
      let current = '';
      for (const point of points) {
        if (point === null) {
          if (current) segments.push(current);
          current = '';
        } else current += `${current ? ' L' : 'M'}${point[0].toFixed(1)},${point[1].toFixed(1)}`;
      }
      if (current) segments.push(current);
      return html`${segments.map((d) => html`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`)}${points.map(
        (point, i) =>
          point === null
            ? ''
            : html`<circle cx="${point[0].toFixed(1)}" cy="${point[1].toFixed(1)}" r="3" fill="${color}"><title>${`${s.name} ${labels[i]}: ${formatValue(s.values[i]!, unit)}`}</title></circle>`,
      )}`;
    },
  )}`;
  return frame(title, labels, max, unit, body, series);
}

/** Stacked bars, one stack per label and one colour per series. */
export function stackedBarChartSvg(
  title: string,
  labels: readonly string[],
  series: readonly Series[],
): Markup {
  const totals = labels.map((_, index) => series.reduce((sum, s) => sum + (s.values[index] ?? 0), 0));
  const max = niceMax(totals);
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const step = (WIDTH - PAD.left - PAD.right) / Math.max(1, labels.length);
  const bars = labels.map((label, index) => {
    let base = HEIGHT - PAD.bottom;
    return series.map((s, seriesIndex) => {
      const value = s.values[index] ?? 0;
      if (value === 0) return '';
      const height = (value / max) * plotHeight;
      base -= height;
      return html`<rect x="${(PAD.left + step * index + step * 0.15).toFixed(1)}" y="${base.toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${height.toFixed(1)}" fill="${PALETTE[seriesIndex % PALETTE.length]}"><title>${`${s.name}, week of ${label}: ${value}`}</title></rect>`;
    });
  });
  return frame(title, labels, max, 'count', html`${bars}`, series);
}

// A round axis maximum at or above the data, never below `floor` (an empty chart still has an axis).
function niceMax(values: readonly number[], floor = 1): number {
  const max = Math.max(floor, ...values);
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const nice = [1, 2, 5, 10].map((f) => f * magnitude).find((candidate) => candidate >= max);
  return nice ?? 10 * magnitude;
}
