import type { Postmortem } from './postmortem';

const duration = (seconds: number) => {
  const total = Math.round(seconds / 60);
  return total < 60 ? `${total} min` : `${Math.floor(total / 60)} h ${total % 60} min`;
};

// Markdown treats these as syntax; escaping keeps user text from restructuring the document.
const text = (value: string) => value.replace(/([\\`*_[\]<>|#])/g, '\\$1').replace(/\r?\n/g, ' ');

/**
 * The postmortem as a Markdown document with the runbook's sections, in the runbook's order.
 *
 * @example
 * postmortemMarkdown(postmortemOf(events)).startsWith('# P1 checkout incident'); // true
 */
export function postmortemMarkdown(postmortem: Postmortem): string {
  const { summary, impact, resolution } = postmortem;
  const lines = [
    `# ${text(postmortem.title)}`,
    '',
    `- **Incident:** ${postmortem.incidentId}`,
    `- **Severity:** ${postmortem.severity}`,
    `- **Date:** ${postmortem.date}`,
    `- **Status:** ${postmortem.status}${postmortem.revision === null ? '' : ` (revision ${postmortem.revision})`}`,
    '',
    '## Summary',
    '',
    text(summary.text),
    '',
    `- **Service:** ${text(summary.service)}`,
    `- **Users affected:** ${summary.usersAffected}%`,
    `- **Started:** ${summary.startedAt}`,
    `- **Detected:** ${summary.detectedAt}`,
    `- **Mitigated:** ${summary.mitigatedAt ?? '—'}`,
    `- **Resolved:** ${summary.resolvedAt ?? '—'}`,
    '',
    '## Impact',
    '',
    `- **Duration:** ${duration(impact.durationSeconds)}`,
    `- **Users affected:** ${impact.usersAffected}%`,
    `- **Revenue impact:** ${impact.revenueImpact} (${impact.impactSeverity})`,
    ...(impact.narrative ? ['', text(impact.narrative)] : []),
    '',
    '## Root cause',
    '',
    text(postmortem.rootCause),
    '',
    '## Timeline',
    '',
    '| Time (UTC) | Event | Actor |',
    '| --- | --- | --- |',
    ...postmortem.timeline.map(
      (entry) => `| ${entry.at} | ${text(entry.summary)} | ${text(entry.actor.name ?? entry.actor.id)} |`,
    ),
    '',
    '## Resolution',
    '',
    resolution.text ? `${text(resolution.text)} (${resolution.at})` : 'Not resolved yet.',
    ...resolution.mitigations.map((m) => `- ${m.action}: ${text(m.description)} — ${m.outcome}`),
    '',
    '## Action items',
    '',
    ...(postmortem.actionItems.length === 0
      ? ['None recorded.']
      : [
          '| Action item | Owner | Status | Due |',
          '| --- | --- | --- | --- |',
          ...postmortem.actionItems.map(
            (item) =>
              `| ${text(item.title)} | ${text([item.owner.person, item.owner.role].filter(Boolean).join(', ') || '—')} | ${item.status} | ${item.dueDate ?? '—'} |`,
          ),
        ]),
    '',
    '## Lessons learned',
    '',
    ...postmortem.lessonsLearned.map((lesson) => `- ${text(lesson)}`),
    '',
    '## Acknowledgments',
    '',
    postmortem.acknowledgments.length === 0
      ? 'None recorded.'
      : postmortem.acknowledgments.map(text).join(', '),
    '',
  ];
  return lines.join('\n');
}
