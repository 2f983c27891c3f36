import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ImpactEstimate } from '../rules/impact';
import { severities } from '../severity/severity';
import { categoryOf } from './category';
import { priorityOf } from './priority';
import { type PastIncidentSummary, similarIncidents } from './similarIncidents';
import { triage } from './triage';

const impact: ImpactEstimate = { usersAffected: 70, revenueImpact: 7, severity: 'high' };
const checkoutErrors = {
  id: 'INC-NOW',
  service: 'checkout',
  kind: 'error_rate',
  severity: 'P1' as const,
  impact,
};

const past = (id: string, service: string, kind: string, startedAt: string): PastIncidentSummary => ({
  id,
  service,
  kind,
  category: categoryOf(kind),
  severity: 'P2',
  startedAt,
});

describe('triage', () => {
  it('categorises by kind', () => {
    expect(
      ['error_rate', 'response_time', 'availability', 'security', 'deployment', 'alert'].map(categoryOf),
    ).toEqual(['technical', 'technical', 'technical', 'security', 'operational', 'operational']);
  });
  it('scores priority as severity score times impact score', () => {
    expect(priorityOf('P0', 'critical')).toBe(1);
    expect(priorityOf('P1', 'high')).toBe(4);
    expect(priorityOf('P2', 'medium')).toBe(9);
    expect(priorityOf('P3', 'low')).toBe(16);
  });
  it('assigns owner and expected resolution by severity', () => {
    const results = severities.map((severity) =>
      triage({ incident: { ...checkoutErrors, severity }, history: [] }),
    );
    expect(results.map((r) => r.ownerRole)).toEqual([
      'team-lead',
      'senior-engineer',
      'engineer',
      'junior-engineer',
    ]);
    expect(results.map((r) => r.expectedResolution.minutes)).toEqual([60, 120, 240, 480]);
    expect(results.map((r) => r.expectedResolution.iso)).toEqual(['PT1H', 'PT2H', 'PT4H', 'PT8H']);
    expect(results[3]?.expectedResolution.text).toBe('8 hours');
  });
  it('recommends the runbook actions for the kind, or the general list', () => {
    expect(triage({ incident: checkoutErrors, history: [] }).actions[0]).toBe('Check error logs');
    expect(triage({ incident: { ...checkoutErrors, kind: 'response_time' }, history: [] }).actions[0]).toBe(
      'Analyze performance metrics',
    );
    expect(triage({ incident: { ...checkoutErrors, kind: 'availability' }, history: [] }).actions[0]).toBe(
      'Verify service status',
    );
    expect(triage({ incident: { ...checkoutErrors, kind: 'alert' }, history: [] }).actions).toEqual([
      'Gather more information',
      'Analyze logs',
      'Consult with team',
      'Document findings',
    ]);
    // Kinds are free text: one named like an Object property gets the general list too.
    for (const kind of ['constructor', 'toString', '__proto__']) {
      expect(triage({ incident: { ...checkoutErrors, kind }, history: [] }).actions).toEqual(
        triage({ incident: { ...checkoutErrors, kind: 'alert' }, history: [] }).actions,
      );
    }
  });
  it('names a suspect deployment and puts its rollback first', () => {
    const suspectDeployment = {
      service: 'checkout',
      version: 'v42',
      previousVersion: 'v41',
      deployedAt: '2025-03-01T09:55:00Z',
    };
    const result = triage({ incident: checkoutErrors, history: [], suspectDeployment });
    expect(result.suspectDeployment).toEqual(suspectDeployment);
    expect(result.actions.slice(0, 2)).toEqual(['Roll back checkout to v41', 'Check error logs']);
    expect(triage({ incident: checkoutErrors, history: [] }).suspectDeployment).toBeNull();
  });
});

describe('similar incidents', () => {
  const history = [
    past('A', 'checkout', 'response_time', '2025-02-20T00:00:00Z'),
    past('B', 'checkout', 'error_rate', '2025-01-01T00:00:00Z'),
    past('C', 'search', 'security', '2025-02-25T00:00:00Z'),
    past('D', 'checkout', 'error_rate', '2025-02-01T00:00:00Z'),
    past('INC-NOW', 'checkout', 'error_rate', '2025-03-01T00:00:00Z'),
  ];
  it('puts same service and kind first, then same category, most recent first, never itself', () => {
    expect(similarIncidents({ ...checkoutErrors, category: 'technical' }, history).map((m) => m.id)).toEqual([
      'D',
      'B',
      'A',
    ]);
  });
  it('keeps ordering and the limit of five for any history', () => {
    const kinds = ['error_rate', 'response_time', 'security', 'deployment'];
    const arbitraryPast = fc.record({
      id: fc.uuid(),
      service: fc.constantFrom('checkout', 'search'),
      kind: fc.constantFrom(...kinds),
      minutes: fc.integer({ min: 0, max: 100_000 }),
    });
    fc.assert(
      fc.property(fc.array(arbitraryPast, { maxLength: 30 }), (rows) => {
        const summaries = rows.map((r) =>
          past(r.id, r.service, r.kind, new Date(Date.UTC(2025, 0, 1) + r.minutes * 60_000).toISOString()),
        );
        const matches = similarIncidents(
          { service: 'checkout', kind: 'error_rate', category: 'technical' },
          summaries,
        );
        const eligible = summaries.filter((s) => s.category === 'technical');
        expect(matches.length).toBe(Math.min(5, eligible.length));
        for (let i = 1; i < matches.length; i++) {
          const [before, after] = [matches[i - 1]!, matches[i]!];
          const rank = (m: typeof before) => (m.match === 'same_service_and_kind' ? 0 : 1);
          expect(
            rank(before) < rank(after) ||
              (rank(before) === rank(after) && before.startedAt >= after.startedAt),
          ).toBe(true);
        }
      }),
    );
  });
});
