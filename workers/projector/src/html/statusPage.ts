import { componentStatusLabels, type PublicIncident, type PublicPostmortem } from '@vigil/core/projections';
import type { StatusSnapshot } from '../statusSummary';
import { RESOLVED_SHOWN_DAYS, UPTIME_DAYS } from '../statusSummary';
import { html, type Markup, page } from './html';
import { uptimeBarsSvg } from './svgCharts';

const STATUS_WORDS: Readonly<Record<string, string>> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  postmortem: 'Postmortem',
};

function incidentCard(incident: PublicIncident, { postmortemLink }: { postmortemLink: boolean }): Markup {
  return html`<article class="card incident" id="${incident.id}" data-incident="${incident.id}" data-status="${incident.status}">
<h3>${incident.name}</h3>
<div class="muted">${incident.service} · impact ${incident.impact} · started ${incident.startedAt}${incident.resolvedAt ? ` · resolved ${incident.resolvedAt}` : ''}</div>
<ul class="updates">${[...incident.updates]
    .reverse()
    .map(
      (update) =>
        html`<li><strong>${STATUS_WORDS[update.status] ?? update.status}</strong> — ${update.body} <span class="muted">${update.at}</span></li>`,
    )}</ul>
${postmortemLink && incident.postmortemPublishedAt ? html`<p><a href="/status/incidents/${encodeURIComponent(incident.id)}/postmortem">Read the postmortem</a></p>` : ''}
</article>`;
}

/** The public status page: overall state, components with uptime bars, active and recent incidents. */
export function statusPage(snapshot: StatusSnapshot, name: string): string {
  const body = html`<h1>${name}</h1>
<div class="banner ${snapshot.status.indicator}" data-indicator="${snapshot.status.indicator}">${snapshot.status.description}</div>
<h2>Components</h2>
${
  snapshot.components.length === 0
    ? html`<p class="muted">No services report to Vigil yet.</p>`
    : snapshot.components.map(
        (
          component,
        ) => html`<section class="card" data-component="${component.service}" data-status="${component.status}">
<div class="component"><h3>${component.service}</h3><span class="status ${component.status}">${componentStatusLabels[component.status]}</span></div>
${uptimeBarsSvg(component.service, component.uptime)}
<div class="muted">${UPTIME_DAYS} days ago · ${(component.uptimeRatio * 100).toFixed(2)}% uptime · today</div>
</section>`,
      )
}
<h2>Active incidents</h2>
${snapshot.active.length === 0 ? html`<p class="muted" id="no-active">No active incidents.</p>` : snapshot.active.map((i) => incidentCard(i, { postmortemLink: false }))}
<h2>Past incidents (last ${RESOLVED_SHOWN_DAYS} days)</h2>
${snapshot.resolved.length === 0 ? html`<p class="muted">No incidents resolved in the last ${RESOLVED_SHOWN_DAYS} days.</p>` : snapshot.resolved.map((i) => incidentCard(i, { postmortemLink: true }))}
<p class="muted">Updated ${snapshot.now} · <a href="/status.json">status.json</a></p>`;
  return page({ title: `${name}: ${snapshot.status.description}`, body });
}

/** A published postmortem as a public page. */
export function publicPostmortemPage(postmortem: PublicPostmortem, name: string): string {
  const minutes = Math.round(postmortem.impact.durationSeconds / 60);
  const body = html`<p><a href="/status">← ${name}</a></p>
<h1>Postmortem: ${postmortem.title}</h1>
<p class="muted">Severity ${postmortem.severity} · ${postmortem.date} · published ${postmortem.publishedAt}</p>
<h2>Summary</h2><p>${postmortem.summary.text}</p>
<h2>Impact</h2><p>${minutes} minutes; an estimated ${postmortem.impact.usersAffected}% of users affected.${postmortem.impact.narrative ? ` ${postmortem.impact.narrative}` : ''}</p>
<h2>Root cause</h2><p>${postmortem.rootCause}</p>
<h2>Timeline</h2><ul class="updates">${postmortem.timeline.map(
    (update) =>
      html`<li><span class="muted">${update.at}</span> <strong>${STATUS_WORDS[update.status] ?? update.status}</strong> — ${update.body}</li>`,
  )}</ul>
<h2>Resolution</h2><p>${postmortem.resolution.text ?? 'Not resolved yet.'}</p>
<h2>Action items</h2>${
    postmortem.actionItems.length === 0
      ? html`<p class="muted">None.</p>`
      : html`<ul>${postmortem.actionItems.map((item) => html`<li>${item.title} — ${item.status}</li>`)}</ul>`
  }
<h2>Lessons learned</h2><ul>${postmortem.lessonsLearned.map((lesson) => html`<li>${lesson}</li>`)}</ul>
${postmortem.acknowledgments.length > 0 ? html`<h2>Acknowledgments</h2><p>${postmortem.acknowledgments.join(', ')}</p>` : ''}`;
  return page({ title: `Postmortem: ${postmortem.title}`, body });
}
