import type { Severity } from '@vigil/core';
import type { WeekPoint } from '@vigil/core/projections';
import type { IncidentListItem } from '../incidentQueries';
import { html, type Markup } from './html';
import { lineChartSvg, stackedBarChartSvg } from './svgCharts';

export type DashboardData = {
  readonly openBySeverity: Readonly<Record<Severity, number>>;
  readonly open: readonly IncidentListItem[];
  readonly recent: readonly IncidentListItem[];
  readonly selected: {
    readonly incident: IncidentListItem;
    readonly entries: readonly {
      seq: number;
      at: string;
      summary: string;
      visibility: string;
      actor: { id: string; name?: string; kind: string };
    }[];
    /** Only the latest entries are shown; the timeline API has them all. */
    readonly earlierOmitted: boolean;
  } | null;
  readonly weeks: readonly WeekPoint[];
};

function incidentRows(items: readonly IncidentListItem[]): Markup {
  return html`<table><thead><tr><th>Severity</th><th>Incident</th><th>Service</th><th>Status</th><th>Started</th></tr></thead><tbody>${items.map(
    (item) =>
      html`<tr data-row="${item.id}"><td><span class="sev ${item.severity}">${item.severity}</span></td><td><a href="#${item.id}" data-incident="${item.id}">${item.title}</a></td><td>${item.service}</td><td>${item.status}</td><td class="muted">${item.startedAt}</td></tr>`,
  )}</tbody></table>`;
}

/** The signed-in dashboard, rendered on the server: counts, lists, a timeline and SVG charts. */
export function dashboardFragment(data: DashboardData): Markup {
  const labels = data.weeks.map((week) => week.week.slice(5, 10));
  const minutesOrNull = (point: WeekPoint, name: 'mtta' | 'mttr') => point.summaries[name]?.mean ?? null;
  const services = [...new Set(data.weeks.flatMap((week) => Object.keys(week.incidentsByService)))].sort();
  return html`<section class="counts" id="open-by-severity">${(['P0', 'P1', 'P2', 'P3'] as const).map(
    (severity) =>
      html`<div class="card" data-severity="${severity}"><strong>${data.openBySeverity[severity]}</strong><span class="sev ${severity}">${severity}</span> open</div>`,
  )}</section>
<h2>Open incidents</h2>
${data.open.length === 0 ? html`<p class="muted" id="no-open">No open incidents.</p>` : html`<div class="card" id="open-incidents">${incidentRows(data.open)}</div>`}
<h2>Recent incidents</h2>
<div class="card" id="recent-incidents">${incidentRows(data.recent)}</div>
${
  data.selected
    ? html`<h2>Timeline of ${data.selected.incident.id}</h2>
<div class="card" id="timeline" data-incident="${data.selected.incident.id}"><p><strong>${data.selected.incident.title}</strong> — ${data.selected.incident.severity}, ${data.selected.incident.status}</p>
${data.selected.earlierOmitted ? html`<p class="muted" id="timeline-earlier">Showing the latest ${data.selected.entries.length} entries; earlier ones are in <code>/v1/incidents/${data.selected.incident.id}/timeline</code>.</p>` : ''}
<ol>${data.selected.entries.map(
        (entry) =>
          html`<li data-seq="${entry.seq}"><span class="muted">${entry.at}</span> ${entry.summary} <span class="muted">— ${entry.actor.name ?? entry.actor.id}${entry.visibility === 'public' ? ' · public' : ''}</span></li>`,
      )}</ol></div>`
    : html`<p class="muted">Select an incident to see its timeline.</p>`
}
<h2>Trends (last ${data.weeks.length} weeks)</h2>
<div class="charts">
<div class="card" id="chart-mtta-mttr">${lineChartSvg(
    'MTTA and MTTR per week',
    labels,
    [
      { name: 'MTTA', values: data.weeks.map((week) => minutesOrNull(week, 'mtta')) },
      { name: 'MTTR', values: data.weeks.map((week) => minutesOrNull(week, 'mttr')) },
    ],
    'duration',
  )}</div>
<div class="card" id="chart-incidents-per-week">${stackedBarChartSvg(
    'Incidents per week by service',
    labels,
    services.map((service) => ({
      name: service,
      values: data.weeks.map((week) => week.incidentsByService[service] ?? 0),
    })),
  )}</div>
</div>`;
}
