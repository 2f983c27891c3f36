import { describe, expect, it } from 'vitest';
import { acknowledge, addNote, alice, changeSeverity, detect, postUpdate, resolve } from '../test/incidents';
import { channelOf, logOf } from '../test/situations';
import { routesTo } from './routing';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 29, 10, minute));
const id = 'INC-ROUTING';

const log = logOf([
  ...detect(id, 'checkout', 'P2', at(0)),
  acknowledge(id, at(1)),
  addNote(id, at(2), 'looking'),
  postUpdate(id, at(3), 'investigating', 'internal words', 'internal'),
  postUpdate(id, at(4), 'investigating', 'We are looking into it.', 'public'),
  changeSeverity(id, at(5), 'P3'),
  resolve(id, at(6), 'fixed'),
]);
const routed = (channel: ReturnType<typeof channelOf>) =>
  log.filter(({ event, incident }) => routesTo(channel, event, incident)).map(({ event }) => event.type);

describe('routing', () => {
  it('sends the documented defaults: detection, ack, status updates, severity change, resolution — not notes or triage', () => {
    expect(routed(channelOf({ type: 'slack' }))).toEqual([
      'IncidentDetected',
      'IncidentAcknowledged',
      'StatusUpdatePosted',
      'StatusUpdatePosted',
      'SeverityChanged',
      'IncidentResolved',
    ]);
  });

  it('sends exactly the event types a channel asks for, but never the notifier’s own outcomes', () => {
    const channel = channelOf({
      type: 'webhook',
      eventTypes: ['NoteAdded', 'IncidentTriaged', 'NotificationSent'],
    });
    expect(routed(channel)).toEqual(['IncidentTriaged', 'NoteAdded']);
  });

  it('respects the minimum severity, hearing a downgrade from a severity it wanted', () => {
    // P2 until the change to P3: a P2 channel hears the change, not the resolution of a P3.
    expect(routed(channelOf({ type: 'slack', minSeverity: 'P2' }))).toEqual([
      'IncidentDetected',
      'IncidentAcknowledged',
      'StatusUpdatePosted',
      'StatusUpdatePosted',
      'SeverityChanged',
    ]);
    expect(routed(channelOf({ type: 'slack', minSeverity: 'P1' }))).toEqual([]);
  });

  it('lets a channel that was told of the incident hear its acknowledgement and resolution after a downgrade', () => {
    const p1 = channelOf({ type: 'pagerduty', minSeverity: 'P1' });
    const downgraded = logOf([
      ...detect(id, 'checkout', 'P1', at(0)),
      changeSeverity(id, at(1), 'P2'),
      acknowledge(id, at(2)),
      resolve(id, at(3), 'fixed'),
    ]);
    const routedTo = (told: boolean) =>
      downgraded
        .filter(({ event, incident }) => routesTo(p1, event, incident, told))
        .map(({ event }) => event.type);
    expect(routedTo(true)).toEqual([
      'IncidentDetected',
      'SeverityChanged',
      'IncidentAcknowledged',
      'IncidentResolved',
    ]);
    // Never told (it was not paged), it hears nothing below its minimum.
    expect(routedTo(false)).toEqual(['IncidentDetected', 'SeverityChanged']);
  });

  it('filters by service', () => {
    expect(routed(channelOf({ type: 'slack', services: ['search'] }))).toEqual([]);
    expect(routed(channelOf({ type: 'slack', services: ['search', 'checkout'] }))).toHaveLength(6);
  });

  it('gives PagerDuty only what it can act on', () => {
    expect(routed(channelOf({ type: 'pagerduty' }))).toEqual([
      'IncidentDetected',
      'IncidentAcknowledged',
      'SeverityChanged',
      'IncidentResolved',
    ]);
  });

  it('gives PagerDuty no trigger for an incident resolved at that point: a reclassification in its review', () => {
    const reviewed = logOf([
      ...detect(id, 'checkout', 'P1', at(0)),
      resolve(id, at(1), 'fixed'),
      changeSeverity(id, at(2), 'P2'),
      {
        type: 'ReopenIncident',
        data: { incidentId: id, at: at(3).toISOString(), by: alice, reason: 'errors are back' },
      },
      changeSeverity(id, at(4), 'P1'),
    ]);
    const routedTo = (channel: ReturnType<typeof channelOf>) =>
      reviewed
        .filter(({ event, incident }) => routesTo(channel, event, incident, true))
        .map(({ event }) => event.type);
    expect(routedTo(channelOf({ type: 'pagerduty' }))).toEqual([
      'IncidentDetected',
      'IncidentResolved',
      'IncidentReopened',
      'SeverityChanged',
    ]);
    // Other channels only tell: they hear the reclassification.
    expect(routedTo(channelOf({ type: 'slack' }))).toEqual([
      'IncidentDetected',
      'IncidentResolved',
      'SeverityChanged',
      'IncidentReopened',
      'SeverityChanged',
    ]);
  });

  it('gives a status page only public updates and the resolution of an incident it was told of', () => {
    // As the planner does: a channel is told of an incident once anything of it went there.
    const inOrder = (channel: ReturnType<typeof channelOf>, events = log) => {
      let told = false;
      return events.filter(({ event, incident }) => {
        const wanted = routesTo(channel, event, incident, told);
        told ||= wanted;
        return wanted;
      });
    };
    const visibility = inOrder(channelOf({ type: 'statuspage' })).map(({ event }) =>
      event.type === 'StatusUpdatePosted' ? event.data.visibility : 'resolution',
    );
    expect(visibility).toEqual(['public', 'resolution']);
    // Its public update came while the incident was below the page's minimum: the page never
    // showed it, so the resolution must not appear there as a resolved incident of its own.
    const raisedLater = logOf([
      ...detect(id, 'checkout', 'P2', at(0)),
      postUpdate(id, at(1), 'investigating', 'We are looking into it.', 'public'),
      changeSeverity(id, at(2), 'P1'),
      resolve(id, at(3), 'fixed'),
    ]);
    expect(inOrder(channelOf({ type: 'statuspage', minSeverity: 'P1' }), raisedLater)).toEqual([]);
  });

  it('sends nothing to a disabled channel', () => {
    expect(routed(channelOf({ type: 'slack', enabled: false }))).toEqual([]);
  });
});
