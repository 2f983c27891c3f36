import { describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../incident/events';
import {
  acknowledged,
  actionItemAdded,
  detected,
  identified,
  minutesAfterStart,
  mitigated,
  noteAdded,
  postmortemDrafted,
  postmortemPublished,
  reopened,
  resolved,
  triaged,
} from '../incident/testing/fixtures';
import { postmortemOf, UNDER_INVESTIGATION } from './postmortem';
import { postmortemMarkdown } from './postmortemMarkdown';
import { publicPostmortemOf } from './publicPostmortem';

const recorded = (events: readonly IncidentEvent[]) =>
  events.map((event, index) => ({ ...event, seq: 100 + index, version: index + 1 }));

const history = [
  detected('P1'),
  triaged(),
  acknowledged(),
  noteAdded('Paged the payments team'),
  identified('Payment client v42 drops the idempotency header'),
  mitigated(),
  resolved(),
  actionItemAdded('ai-1'),
];

describe('postmortem', () => {
  it('says the root cause is under investigation until someone identifies it', () => {
    const postmortem = postmortemOf(recorded([detected('P1'), triaged(), acknowledged()]));
    expect(postmortem.rootCause).toBe(UNDER_INVESTIGATION);
    expect(postmortem.summary.resolvedAt).toBeNull();
    expect(postmortem.status).toBe('not drafted');
  });

  it('dates an incident by its UTC day when its start carries an offset', () => {
    const opened = detected('P1');
    // T0 as a clock in UTC+14 reads it: already the next day there.
    const startedAt = '2025-03-02T00:00:00+14:00';
    expect(postmortemOf(recorded([{ ...opened, data: { ...opened.data, startedAt } }])).date).toBe(
      '2025-03-01',
    );
  });

  it('counts an acknowledgement at the response target as outside it (the runbook: under 30 min for P1)', () => {
    const atTarget = postmortemOf(recorded([detected('P1'), acknowledged(undefined, minutesAfterStart(32))]));
    expect(atTarget.lessonsLearned).toContain(
      'Acknowledged after 30 min, outside the P1 response target of 30 min.',
    );
  });

  it('derives every runbook field from the events', () => {
    const postmortem = postmortemOf(recorded([...history, postmortemDrafted()]));
    expect(postmortem).toMatchObject({
      severity: 'P1',
      date: '2025-03-01',
      status: 'draft',
      rootCause: 'Payment client v42 drops the idempotency header',
      summary: {
        service: 'checkout',
        startedAt: '2025-03-01T10:00:00.000Z',
        detectedAt: '2025-03-01T10:02:00.000Z',
        resolvedAt: '2025-03-01T10:45:00.000Z',
      },
      impact: { durationSeconds: 45 * 60, usersAffected: 70, revenueImpact: 7 },
      resolution: { at: '2025-03-01T10:45:00.000Z' },
      actionItems: [{ id: 'ai-1', title: 'Alert on idempotency header loss', status: 'pending' }],
    });
    expect(postmortem.timeline.map((entry) => entry.seq)).toEqual([
      100, 101, 102, 103, 104, 105, 106, 107, 108,
    ]);
    expect(postmortem.lessonsLearned[0]).toBe('Canary the payment client before a full rollout');
    expect(postmortem.lessonsLearned).toContain(
      'Acknowledged after 3 min, within the P1 response target of 30 min.',
    );
    expect(postmortem.lessonsLearned).toContain('Resolved after 45 min, within the expected 2 hours.');
    // Alice from the draft and as a responder, Bob because he acted on the incident.
    expect(postmortem.acknowledgments).toEqual(['Alice', 'Bob']);
  });

  it('does not call a reopened incident resolved while it is open again', () => {
    const postmortem = postmortemOf(
      recorded([
        detected('P1'),
        resolved(),
        reopened(),
        noteAdded('Errors are back', minutesAfterStart(120)),
      ]),
    );
    expect(postmortem.summary.resolvedAt).toBeNull();
    expect(postmortem.summary.text).toContain('is not resolved yet');
    expect(postmortem.impact.durationSeconds).toBe(120 * 60);
    expect(postmortem.lessonsLearned).toContain('First resolved after 45 min, within the expected 2 hours.');
    expect(postmortemMarkdown(postmortem)).toContain('- **Resolved:** —');
  });

  it('ends a reopened incident at its final resolution', () => {
    const postmortem = postmortemOf(
      recorded([detected('P1'), resolved(), reopened(), resolved(undefined, minutesAfterStart(150))]),
    );
    expect(postmortem.summary.resolvedAt).toBe(minutesAfterStart(150));
    expect(postmortem.summary.text).toContain(`resolved at ${minutesAfterStart(150)}.`);
    expect(postmortem.impact.durationSeconds).toBe(150 * 60);
  });

  it('renders the runbook sections as Markdown, escaping what people typed', () => {
    const markdown = postmortemMarkdown(
      postmortemOf(recorded([...history, noteAdded('use *bold* | pipes')])),
    );
    for (const section of [
      '## Summary',
      '## Impact',
      '## Root cause',
      '## Timeline',
      '## Resolution',
      '## Action items',
      '## Lessons learned',
      '## Acknowledgments',
    ]) {
      expect(markdown).toContain(section);
    }
    expect(markdown).toMatch(/^# P1 checkout incident on 2025-03-01/);
    expect(markdown).toContain('use \\*bold\\* \\| pipes');
  });

  it('is public only once published, and then without notes or actor ids', () => {
    expect(publicPostmortemOf(recorded([...history, postmortemDrafted()]))).toBeNull();
    const published = publicPostmortemOf(recorded([...history, postmortemDrafted(), postmortemPublished()]));
    expect(published?.rootCause).toBe('Payment client v42 drops the idempotency header');
    expect(published?.timeline.at(-1)?.status).toBe('postmortem');
    expect(JSON.stringify(published)).not.toMatch(/payments team|u_alice|senior-engineer/);
    expect(published?.acknowledgments).toEqual(['Alice']);
  });
});
