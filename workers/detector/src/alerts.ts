import { type AlertSignal, toServiceName } from '@vigil/contracts';
import {
  alertSlot,
  earlierOf,
  type ImpactEstimate,
  type IncidentCommand,
  newIncidentId,
  type Severity,
  triage,
} from '@vigil/core';
import { EarlyAlertActions, pastIncidents, utc } from '@vigil/db';
import type { DetectionContext } from './detect';

const IMPACT_BY_SEVERITY: Record<Severity, ImpactEstimate['severity']> = {
  P0: 'critical',
  P1: 'high',
  P2: 'medium',
  P3: 'low',
};

/**
 * An alert's lifecycle, PagerDuty's rules: trigger opens an incident for its dedup key and
 * integration (or joins the open one), acknowledge acknowledges it, resolve resolves it; after resolution the
 * same key opens a new incident. The signal id is the idempotency key, so a redelivered alert
 * is answered with the first result instead of acting twice.
 */
export async function handleAlert(
  context: DetectionContext,
  { id: signalId, receivedAt, signal: alert }: { id: string; receivedAt: string; signal: AlertSignal },
): Promise<void> {
  const slot = alertSlot(alert.source, alert.integration ?? null, alert.dedupKey);
  const early = new EarlyAlertActions(context.db);
  const open = (await context.incidents.openIn(slot)) ?? (await openedBeforeIntegrations(context, alert));
  const at = context.now().toISOString();
  const by = { kind: 'source' as const, id: alert.source };
  const options = {
    idempotencyKey: `signal:${signalId}`,
    source: alert.source,
    correlationId: alert.dedupKey,
  };

  if (alert.action === 'trigger') {
    if (open) return;
    const prior = await context.incidents.events.findIdempotentResult(options.idempotencyKey);
    if (prior) return;
    const triggerReceivedAt = utc(receivedAt);
    // Its resolve was received after it but came first: the incident opens resolved, not forever open.
    const resolvedEarly = await early.receivedSince(slot, 'resolve', triggerReceivedAt);
    const usedBy = resolvedEarly?.usedByTriggerReceivedAt ?? null;
    // A repeat of the trigger that opened that incident, received between it and the resolve: the
    // same firing, already opened and resolved.
    if (usedBy !== null && usedBy <= triggerReceivedAt) return;
    const now = context.now();
    const incidentId = newIncidentId(now, context.random);
    const impact: ImpactEstimate = {
      usersAffected: 0,
      revenueImpact: 0,
      severity: IMPACT_BY_SEVERITY[alert.severity],
    };
    const commands: IncidentCommand[] = [
      {
        type: 'DetectIncident',
        data: {
          incidentId,
          at,
          by,
          service: alert.service,
          kind: 'alert',
          severity: alert.severity,
          title: alert.summary || `${alert.source} alert ${alert.dedupKey}`,
          // A sender's clock ahead of ours must not make the incident start after its detection.
          startedAt: earlierOf(alert.at, at),
          detectedAt: at,
          impact,
          source: alert.source,
          dedupKey: alert.dedupKey,
          ...(alert.integration !== undefined && { integration: alert.integration }),
        },
      },
      {
        type: 'TriageIncident',
        data: {
          incidentId,
          at,
          by,
          triage: triage({
            incident: {
              id: incidentId,
              service: alert.service,
              kind: 'alert',
              severity: alert.severity,
              impact,
            },
            history: await pastIncidents(context.db, alert.service),
          }),
        },
      },
    ];
    if (resolvedEarly) commands.push(resolveCommand(incidentId, at, by, alert, ' (its resolve came first)'));
    // Its acknowledge came first: someone owns it already, so it opens acknowledged.
    else if (await early.receivedSince(slot, 'acknowledge', triggerReceivedAt))
      commands.push({ type: 'AcknowledgeIncident', data: { incidentId, at, by } });
    await context.incidents.execute(incidentId, commands, { ...options, openSlot: slot });
    if (resolvedEarly) await early.use(slot, triggerReceivedAt);
    return;
  }

  if (!open || open.state.status === 'none' || open.state.status === 'resolved') {
    await early.remember(slot, alert.action, utc(receivedAt));
    return;
  }
  // A person reopened it: the source's acknowledge or resolve (Alertmanager repeats "resolved")
  // must not close what that person found still broken. Its triggers still join it.
  if (open.state.reopenCount > 0) return;
  const incidentId = open.incidentId;
  let command: IncidentCommand;
  if (alert.action === 'acknowledge') {
    if (open.state.acknowledgement !== null) return;
    command = { type: 'AcknowledgeIncident', data: { incidentId, at, by } };
  } else {
    command = resolveCommand(incidentId, at, by, alert);
  }
  await context.incidents.execute(incidentId, [command], options);
  // Kept too: a repeat of this firing received before the resolve but processed after it (its
  // batch retried, a second Alertmanager replica) must not open an incident no resolve will close.
  if (alert.action === 'resolve') await early.rememberClosing(slot, utc(receivedAt));
}

function resolveCommand(
  incidentId: string,
  at: string,
  by: { kind: 'source'; id: string },
  alert: AlertSignal,
  note = '',
): IncidentCommand {
  return {
    type: 'ResolveIncident',
    data: { incidentId, at, by, resolution: `Resolved by ${alert.source} (${alert.dedupKey})${note}.` },
  };
}

/**
 * An incident opened before dedup keys were scoped to their integration holds the source's slot,
 * shared by every integration: an alert through one joins, acknowledges or resolves it only when
 * it names the same service, or none (an acknowledge or resolve without a payload).
 */
async function openedBeforeIntegrations(context: DetectionContext, alert: AlertSignal) {
  if (alert.integration === undefined) return undefined;
  const open = await context.incidents.openIn(alertSlot(alert.source, null, alert.dedupKey));
  if (!open || open.state.status === 'none') return undefined;
  return open.state.service === alert.service || alert.service === toServiceName(undefined)
    ? open
    : undefined;
}
