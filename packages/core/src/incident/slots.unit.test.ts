import { describe, expect, it } from 'vitest';
import { foldIncident } from './evolve';
import { alertSlot, metricSlot, slotOf } from './slots';
import { declared, detected, incidentId, P1 } from './testing/fixtures';

describe('slots', () => {
  it('an incident holds its metric rule’s slot, its alert’s, or its own', () => {
    const metric = foldIncident([
      { ...detected(P1), data: { ...detected(P1).data, source: 'detector', dedupKey: null } },
    ]);
    const alert = foldIncident([
      {
        ...detected(P1),
        data: { ...detected(P1).data, kind: 'alert', source: 'pagerduty', dedupKey: 'srv01/mysql' },
      },
    ]);
    const own = foldIncident([declared()]);
    if (metric.status === 'none' || alert.status === 'none' || own.status === 'none')
      throw new Error('not open');
    expect(slotOf(metric)).toBe(metricSlot('checkout', metric.kind));
    expect(slotOf(alert)).toBe(alertSlot('pagerduty', 'checkout', 'srv01/mysql'));
    expect(slotOf(own)).toBe(`incident:${incidentId}`);
  });

  it('keeps a dedup key per service, unambiguous when the service has colons', () => {
    expect(alertSlot('pagerduty', 'a:b', 'c')).not.toBe(alertSlot('pagerduty', 'a', 'b:c'));
    expect(alertSlot('pagerduty', 'search', 'k')).not.toBe(alertSlot('pagerduty', 'billing', 'k'));
  });
});
