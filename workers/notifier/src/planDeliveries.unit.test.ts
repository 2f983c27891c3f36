import type { DeliveryStatus } from '@vigil/db';
import { describe, expect, it } from 'vitest';
import { acknowledge, addNote, alice, changeSeverity, detect, escalate, resolve } from '../test/incidents';
import { channelOf, logOf } from '../test/situations';
import { deliveryId } from './deliveryId';
import { planDeliveries } from './planDeliveries';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 29, 10, minute));
const id = 'INC-PLAN';
const now = at(30);
const window15 = 15 * 60_000;

const plan = (
  commands: Parameters<typeof logOf>[0],
  type: 'slack' | 'pagerduty' = 'slack',
  options: { repageWindowMs?: number; digestStatuses?: Map<string, DeliveryStatus> } = {},
) =>
  planDeliveries({
    situations: logOf(commands),
    channels: [channelOf({ type })],
    pages: [],
    told: [],
    digestStatuses: options.digestStatuses ?? new Map(),
    repageWindowMs: options.repageWindowMs ?? window15,
    now,
  });

describe('planning deliveries', () => {
  it('pages once, then folds the updates of the window into a digest due when it ends', async () => {
    const planned = await plan([
      ...detect(id, 'checkout', 'P1', at(0)),
      acknowledge(id, at(2)),
      escalate(id, at(5)),
    ]);
    const digestId = await deliveryId('ch_slack', 1, 'digest');
    expect(
      planned.map(({ kind, eventType, digestId: into, dueAt }) => ({ kind, eventType, into, dueAt })),
    ).toEqual([
      { kind: 'event', eventType: 'IncidentDetected', into: null, dueAt: now.toISOString() },
      { kind: 'digest', eventType: 'Digest', into: null, dueAt: at(15).toISOString() },
      { kind: 'event', eventType: 'IncidentAcknowledged', into: digestId, dueAt: now.toISOString() },
      { kind: 'event', eventType: 'IncidentEscalated', into: digestId, dueAt: now.toISOString() },
    ]);
    expect(planned[0]?.windowEndsAt).toBe(at(15).toISOString());
    // The channel's URL is stored redacted.
    expect(planned[0]?.target).toBe('https://hooks.example.com/…');
  });

  it('pages at once when the severity rises, and opens a new window from there', async () => {
    const planned = await plan([
      ...detect(id, 'checkout', 'P2', at(0)),
      changeSeverity(id, at(3), 'P1'),
      acknowledge(id, at(4)),
    ]);
    const rise = planned.find((delivery) => delivery.eventType === 'SeverityChanged');
    expect(rise).toMatchObject({ kind: 'event', digestId: null, windowEndsAt: at(18).toISOString() });
    const ack = planned.find((delivery) => delivery.eventType === 'IncidentAcknowledged');
    expect(ack?.digestId).toBe(await deliveryId('ch_slack', rise!.eventSeq, 'digest'));
  });

  it('pages again after the window', async () => {
    const planned = await plan([...detect(id, 'checkout', 'P1', at(0)), acknowledge(id, at(16))]);
    expect(planned.map((delivery) => delivery.digestId)).toEqual([null, null]);
  });

  it('never folds with a window of 0', async () => {
    const planned = await plan([...detect(id, 'checkout', 'P1', at(0)), acknowledge(id, at(0))], 'slack', {
      repageWindowMs: 0,
    });
    expect(planned.map((delivery) => delivery.kind)).toEqual(['event', 'event']);
    expect(planned.every((delivery) => delivery.digestId === null)).toBe(true);
  });

  it('sends PagerDuty acknowledge and resolve at once, inside the window', async () => {
    const planned = await plan(
      [...detect(id, 'checkout', 'P1', at(0)), acknowledge(id, at(1)), resolve(id, at(2), 'ok')],
      'pagerduty',
    );
    expect(planned.map((delivery) => [delivery.eventType, delivery.digestId])).toEqual([
      ['IncidentDetected', null],
      ['IncidentAcknowledged', null],
      ['IncidentResolved', null],
    ]);
  });

  it('pages at once when the incident is reopened inside the window, and opens a new window from there', async () => {
    const reopen = {
      type: 'ReopenIncident',
      data: { incidentId: id, at: at(3).toISOString(), by: alice, reason: 'errors are back' },
    } as const;
    for (const type of ['slack', 'pagerduty'] as const) {
      const planned = await plan(
        [...detect(id, 'checkout', 'P1', at(0)), resolve(id, at(2), 'ok'), reopen, escalate(id, at(4))],
        type,
      );
      const reopened = planned.find((delivery) => delivery.eventType === 'IncidentReopened');
      expect(reopened).toMatchObject({ kind: 'event', digestId: null, windowEndsAt: at(18).toISOString() });
      const escalation = planned.find((delivery) => delivery.eventType === 'IncidentEscalated');
      expect(escalation?.digestId).toBe(await deliveryId(`ch_${type}`, reopened!.eventSeq, 'digest'));
    }
  });

  it('ends the window with a resolution that goes out, so what follows pages at once', async () => {
    const planned = await planDeliveries({
      situations: logOf([
        ...detect(id, 'checkout', 'P1', at(0)),
        resolve(id, at(16), 'ok'),
        addNote(id, at(17), 'postmortem on Monday'),
      ]),
      channels: [
        channelOf({ type: 'slack', eventTypes: ['IncidentDetected', 'IncidentResolved', 'NoteAdded'] }),
      ],
      pages: [],
      told: [],
      digestStatuses: new Map(),
      repageWindowMs: window15,
      now,
    });
    expect(planned.map((delivery) => [delivery.eventType, delivery.digestId, delivery.windowEndsAt])).toEqual(
      [
        ['IncidentDetected', null, at(15).toISOString()],
        ['IncidentResolved', null, at(16).toISOString()],
        ['NoteAdded', null, at(32).toISOString()],
      ],
    );
  });

  it('never folds a resolution, so a reopen inside the window never reaches a chat channel before it', async () => {
    const reopen = {
      type: 'ReopenIncident',
      data: { incidentId: id, at: at(3).toISOString(), by: alice, reason: 'errors are back' },
    } as const;
    for (const type of ['slack', 'webhook', 'email'] as const) {
      const planned = await planDeliveries({
        situations: logOf([
          ...detect(id, 'checkout', 'P1', at(0)),
          escalate(id, at(1)),
          resolve(id, at(2), 'looked fine'),
          reopen,
        ]),
        channels: [channelOf({ type })],
        pages: [],
        told: [],
        digestStatuses: new Map(),
        repageWindowMs: window15,
        now: at(3),
      });
      const resolved = planned.find((delivery) => delivery.eventType === 'IncidentResolved');
      const reopened = planned.find((delivery) => delivery.eventType === 'IncidentReopened');
      expect(resolved).toMatchObject({ digestId: null, dueAt: at(3).toISOString() });
      expect(reopened).toMatchObject({ digestId: null, dueAt: at(3).toISOString() });
    }
  });

  it('gives the same ids for the same events and channel, whatever the run', async () => {
    const commands = [...detect(id, 'checkout', 'P1', at(0)), acknowledge(id, at(2))];
    expect(await plan(commands)).toEqual(await plan(commands));
  });
});
