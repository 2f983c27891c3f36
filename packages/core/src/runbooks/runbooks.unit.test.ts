import { describe, expect, it } from 'vitest';
import type { IncidentDetected } from '../incident/events';
import { foldIncident } from '../incident/evolve';
import {
  acknowledged,
  detected,
  escalated,
  minutesAfterStart,
  P0,
  P1,
  P2,
  P3,
  resolved,
} from '../incident/testing/fixtures';
import { defaultRunbooks } from './defaultRunbooks';
import { escalationsDue } from './escalationsDue';
import { runbookFor } from './runbookFor';
import { severityEscalationRules, severityPolicies } from './severityPolicies';

// Detection happens 2 minutes after the start in the fixtures; timers count from detection.
const afterDetection = (minutes: number) => minutesAfterStart(2 + minutes);
const due = (events: Parameters<typeof foldIncident>[0], minutes: number) =>
  escalationsDue(foldIncident(events), defaultRunbooks, afterDetection(minutes)).map((r) => r.toRole);

const outage = (severity: typeof P0, value = 98.5): IncidentDetected => {
  const base = detected(severity);
  return { ...base, data: { ...base.data, kind: 'availability', measurement: { value, threshold: 99.5 } } };
};
const slow = (severity: typeof P0, value: number): IncidentDetected => {
  const base = detected(severity);
  return { ...base, data: { ...base.data, kind: 'response_time', measurement: { value, threshold: 2000 } } };
};

describe('runbooks as data', () => {
  it('holds the three runbooks with their severity, owner and steps', () => {
    expect(defaultRunbooks.map((r) => [r.title, r.severity, r.ownerRole, r.steps.length])).toEqual([
      ['High Error Rate', 'P1', 'senior-engineer', 8],
      ['Slow Response Times', 'P2', 'engineer', 8],
      ['Service Outage', 'P0', 'team-lead', 9],
    ]);
  });
  it('gives every escalation rule a unique, stable id', () => {
    const ids = defaultRunbooks.flatMap((r) => r.escalations.map((e) => e.id));
    expect(new Set(ids).size).toBe(ids.length);
  });
  it('picks the runbook by kind', () => {
    expect(runbookFor('error_rate', 'P1')?.id).toBe('high-error-rate');
    expect(runbookFor('response_time', 'P0')?.id).toBe('slow-response-times');
    expect(runbookFor('availability', 'P2')?.id).toBe('service-outage');
    expect(runbookFor('security', 'P0')).toBeUndefined();
  });
});

describe('severity policies', () => {
  it('holds the response-time targets: 15 min, 30 min, 1 h, 4 h', () => {
    expect(Object.values(severityPolicies).map((p) => p.responseTargetMinutes)).toEqual([15, 30, 60, 240]);
  });
  it('escalates by severity to the runbook roles', () => {
    expect(severityEscalationRules('P0').map((r) => r.toRole)).toEqual(['ceo', 'vp-engineering']);
    expect(severityEscalationRules('P1').map((r) => r.toRole)).toEqual(['vp-engineering', 'team-lead']);
    expect(severityEscalationRules('P2').map((r) => r.toRole)).toEqual(['team-lead', 'senior-engineer']);
    expect(severityEscalationRules('P3').map((r) => r.toRole)).toEqual(['team-lead']);
  });
});

describe('escalations due', () => {
  const ackedP1 = [detected(P1), acknowledged()];
  it('pages nobody on an acknowledged P1 error rate before 30 minutes', () => {
    expect(due(ackedP1, 29)).toEqual([]);
  });
  it('pages the team lead at 30 minutes and the VP at 1 hour if unresolved', () => {
    expect(due(ackedP1, 30)).toEqual(['team-lead']);
    expect(due(ackedP1, 60)).toEqual(['team-lead', 'vp-engineering']);
  });
  it('does not return an escalation already recorded', () => {
    const withLead = [...ackedP1, escalated('team-lead', 'high-error-rate/unresolved-30m/team-lead')];
    expect(due(withLead, 60)).toEqual(['vp-engineering']);
  });
  it('adds the severity escalation when a P1 is not acknowledged within 30 minutes', () => {
    expect(due([detected(P1)], 30)).toEqual(['vp-engineering', 'team-lead', 'team-lead']);
  });
  it('has nothing due once resolved', () => {
    expect(due([...ackedP1, resolved()], 600)).toEqual([]);
  });
  it('pages CEO and VP immediately for a P0 outage, notifies stakeholders, and suggests incident command after 30 minutes', () => {
    expect(due([outage(P0), acknowledged()], 0)).toEqual([
      'ceo',
      'vp-engineering',
      'vp-engineering',
      'stakeholders',
    ]);
    expect(due([outage(P0), acknowledged()], 30)).toContain('incident-commander');
  });
  it('applies a runbook only to incidents at least as severe as it', () => {
    expect(due([outage(P1, 99.2), acknowledged()], 0)).toEqual([]);
    expect(due([detected(P3), acknowledged()], 120)).toEqual([]);
  });
  it('pages a senior engineer when p95 is above 5 seconds, and the team lead after 2 hours', () => {
    expect(due([slow(P2, 5200), acknowledged()], 0)).toEqual(['senior-engineer']);
    expect(due([slow(P2, 4000), acknowledged()], 0)).toEqual([]);
    expect(due([slow(P2, 4000), acknowledged()], 120)).toEqual(['team-lead']);
  });
  it('has nothing due for an incident that does not exist', () => {
    expect(escalationsDue(foldIncident([]), defaultRunbooks, afterDetection(0))).toEqual([]);
  });
});
