import { describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../incident/events';
import {
  acknowledged,
  detected,
  identified,
  incidentId,
  minutesAfterStart,
  mitigated,
  noteAdded,
  relapsed,
  resolved,
  severityChanged,
  T0,
  triaged,
  updatePosted,
} from '../incident/testing/fixtures';
import { projectPublicIncident } from './publicIncident';

const versioned = (events: readonly IncidentEvent[]) =>
  events.map((event, index) => ({ ...event, version: index + 1 }));
const project = (events: readonly IncidentEvent[]) => versioned(events).reduce(projectPublicIncident, null);

describe('public incident', () => {
  it('opens as investigating with the component in the outage its severity and kind imply, from the start', () => {
    const model = project([detected('P0'), triaged()]);
    expect(model).toMatchObject({
      id: incidentId,
      service: 'checkout',
      name: 'Elevated error rates on checkout',
      status: 'investigating',
      impact: 'critical',
      componentStatus: 'major_outage',
      impactPeriods: [{ status: 'major_outage', from: T0, to: null }],
    });
  });

  it('walks investigating → identified → monitoring → resolved with one public update each', () => {
    const model = project([detected('P1'), acknowledged(), identified(), mitigated(), resolved()]);
    expect(model?.status).toBe('resolved');
    expect(model?.componentStatus).toBe('operational');
    expect(model?.updates.map((update) => update.status)).toEqual([
      'investigating',
      'identified',
      'monitoring',
      'resolved',
    ]);
    expect(model?.impactPeriods).toEqual([{ status: 'partial_outage', from: T0, to: minutesAfterStart(18) }]);
  });

  it('keeps a resolved incident resolved when its root cause is recorded afterwards', () => {
    const model = project([
      detected('P1'),
      mitigated(undefined, minutesAfterStart(18)),
      resolved(undefined, minutesAfterStart(45)),
      identified('Payment client v42 drops the idempotency header', minutesAfterStart(120)),
    ]);
    expect(model?.status).toBe('resolved');
    expect(model?.updates.at(-1)?.status).toBe('resolved');
    expect(model?.updatedAt).toBe(minutesAfterStart(45));
  });

  it('posts no identified update after a mitigation, but a relapse then says identified', () => {
    const model = project([detected('P1'), mitigated(), identified(), relapsed()]);
    expect(model?.updates.map((update) => update.status)).toEqual([
      'investigating',
      'monitoring',
      'identified',
    ]);
  });

  it('posts the identified update once when the root cause is recorded twice', () => {
    const model = project([detected('P1'), identified(), identified('A second look', minutesAfterStart(14))]);
    expect(model?.status).toBe('identified');
    expect(model?.updates.map((update) => update.status)).toEqual(['investigating', 'identified']);
  });

  it('never carries the root cause, notes, actors or internal updates', () => {
    const internal = { ...updatePosted('upd-2', minutesAfterStart(7)) };
    const hidden: IncidentEvent = {
      ...internal,
      data: { ...internal.data, message: 'internal: db primary', visibility: 'internal' },
    };
    const model = project([detected('P1'), noteAdded('Paged Bob'), identified(), hidden, updatePosted()]);
    const text = JSON.stringify(model);
    expect(text).not.toMatch(/idempotency header|Paged Bob|db primary|u_alice|Alice/);
    expect(model?.updates.map((u) => u.body)).toContain('We are looking into failed payments');
  });

  it('splits impact periods when severity changes and when the impact comes back', () => {
    const model = project([detected('P2'), severityChanged('P2', 'P0'), mitigated(), relapsed(), resolved()]);
    expect(model?.impactPeriods).toEqual([
      { status: 'degraded_performance', from: T0, to: minutesAfterStart(8) },
      { status: 'major_outage', from: minutesAfterStart(8), to: minutesAfterStart(18) },
      { status: 'major_outage', from: minutesAfterStart(25), to: minutesAfterStart(45) },
    ]);
  });

  it('ignores an event it already applied', () => {
    const events = versioned([detected('P1'), mitigated()]);
    const once = events.reduce(projectPublicIncident, null);
    expect(projectPublicIncident(once, events[1]!)).toBe(once);
  });
});
