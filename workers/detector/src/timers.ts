import { defaultRunbooks, escalationsDue, type IncidentCommand } from '@vigil/core';
import { Checkpoints, IncidentStore, type RecordedEvent, wakeConsumers } from '@vigil/db';
import { detectorActor } from './detect';

/** Consumers of the log that the sweep keeps awake. */
export const LOG_CONSUMERS = ['notifier', 'projector'] as const;

/**
 * The detector's cron: records every escalation that has come due on an open incident
 * (each rule once: the domain refuses a repeat), then wakes any consumer whose checkpoint
 * is behind the log. `now` is the scheduled time, so tests and drills can move the clock.
 */
export async function runTimers(env: Env, now: Date): Promise<{ escalated: number; woke: boolean }> {
  const incidents = new IncidentStore(env.DB, () => now);
  const { results } = await env.DB.prepare(
    'SELECT DISTINCT incident_id FROM open_incidents ORDER BY incident_id',
  ).all<{
    incident_id: string;
  }>();
  let escalated = 0;
  let head = 0;
  for (const { incident_id: incidentId } of results) {
    const { state } = await incidents.load(incidentId);
    const due = escalationsDue(state, defaultRunbooks, now.toISOString());
    if (due.length === 0) continue;
    const commands: IncidentCommand[] = due.map((rule) => ({
      type: 'EscalateIncident',
      data: {
        incidentId,
        at: now.toISOString(),
        by: detectorActor,
        toRole: rule.toRole,
        reason: rule.reason,
        ruleId: rule.id,
      },
    }));
    try {
      const result = await incidents.execute(incidentId, commands, { source: 'escalation-timer' });
      escalated += result.events.length;
      head = Math.max(head, result.events.at(-1)?.seq ?? 0);
    } catch (error) {
      // Another timer run recorded it first; the next run re-derives what is still due.
      console.warn(`vigil: escalation of ${incidentId} not recorded`, error);
    }
  }
  const woke = await sweep(env, head, incidents.appended);
  return { escalated, woke };
}

/**
 * Wakes the notifier and projector when the log holds events past their checkpoints, carrying
 * the events the caller just appended.
 */
export async function sweep(
  env: Env,
  knownHead = 0,
  appended: readonly RecordedEvent[] = [],
): Promise<boolean> {
  const head = Math.max(
    knownHead,
    (await env.DB.prepare('SELECT COALESCE(MAX(seq), 0) AS head FROM events').first<{ head: number }>())
      ?.head ?? 0,
  );
  const checkpoints = new Checkpoints(env.DB);
  const positions = await Promise.all(LOG_CONSUMERS.map((name) => checkpoints.position(name)));
  if (positions.every((position) => position >= head)) return false;
  return wakeConsumers(env, head, 'sweep', appended);
}
