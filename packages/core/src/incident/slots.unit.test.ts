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
        data: {
          ...detected(P1).data,
          kind: 'alert',
          source: 'pagerduty',
          dedupKey: 'srv01/mysql',
          integration: 'key_1',
        },
      },
    ]);
    const own = foldIncident([declared()]);
    if (metric.status === 'none' || alert.status === 'none' || own.status === 'none')
      throw new Error('not open');
    expect(slotOf(metric)).toBe(metricSlot('checkout', metric.kind));
    expect(slotOf(alert)).toBe(alertSlot('pagerduty', 'key_1', 'srv01/mysql'));
    expect(slotOf(own)).toBe(`incident:${incidentId}`);
  });

  it('keeps a dedup key per integration, apart from the keys of alerts that named none', () => {
    expect(alertSlot('pagerduty', 'key_a', 'k')).not.toBe(alertSlot('pagerduty', 'key_b', 'k'));
    expect(alertSlot('pagerduty', null, 'k')).toBe('alert:pagerduty:k');
    expect(alertSlot('pagerduty', 'key_a', 'k')).not.toBe(alertSlot('pagerduty', null, 'key_a:k'));
  });
});
