// The language of incidents for the notifier's tests: commands a detector or a responder issues.
import { type Actor, type IncidentCommand, type Severity, type SuspectDeployment, triage } from '@vigil/core';

export const alice: Actor = { kind: 'human', id: 'u_alice', name: 'Alice' };
const detector: Actor = { kind: 'detector', id: 'rule:error_rate' };
const impact = { usersAffected: 70, revenueImpact: 7, severity: 'high' } as const;

export const newIncidentId = () =>
  `INC-T${crypto.randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`;

export function detect(
  incidentId: string,
  service: string,
  severity: Severity,
  at: Date,
  suspectDeployment: SuspectDeployment | null = null,
): IncidentCommand[] {
  const iso = at.toISOString();
  return [
    {
      type: 'DetectIncident',
      data: {
        incidentId,
        service,
        kind: 'error_rate',
        severity,
        title: `${service}: Error rate 8.0% (threshold 5.0%)`,
        startedAt: iso,
        detectedAt: iso,
        impact,
        at: iso,
        by: detector,
      },
    },
    {
      type: 'TriageIncident',
      data: {
        incidentId,
        at: iso,
        by: detector,
        triage: triage({
          incident: { service, kind: 'error_rate', severity, impact },
          history: [],
          suspectDeployment,
        }),
      },
    },
  ];
}

export const acknowledge = (incidentId: string, at: Date): IncidentCommand => ({
  type: 'AcknowledgeIncident',
  data: { incidentId, at: at.toISOString(), by: alice },
});

export const escalate = (incidentId: string, at: Date, toRole = 'team-lead'): IncidentCommand => ({
  type: 'EscalateIncident',
  data: { incidentId, at: at.toISOString(), by: alice, toRole, reason: 'no progress after 30 min' },
});

export const changeSeverity = (incidentId: string, at: Date, to: Severity): IncidentCommand => ({
  type: 'ChangeSeverity',
  data: { incidentId, at: at.toISOString(), by: alice, to, reason: 'more users affected' },
});

export const postUpdate = (
  incidentId: string,
  at: Date,
  status: 'investigating' | 'identified' | 'monitoring' | 'resolved',
  message: string,
  visibility: 'public' | 'internal',
): IncidentCommand => ({
  type: 'PostStatusUpdate',
  data: {
    incidentId,
    at: at.toISOString(),
    by: alice,
    updateId: crypto.randomUUID(),
    status,
    message,
    visibility,
  },
});

export const addNote = (incidentId: string, at: Date, text: string): IncidentCommand => ({
  type: 'AddNote',
  data: { incidentId, at: at.toISOString(), by: alice, text },
});

export const resolve = (incidentId: string, at: Date, resolution: string): IncidentCommand => ({
  type: 'ResolveIncident',
  data: { incidentId, at: at.toISOString(), by: alice, resolution },
});
