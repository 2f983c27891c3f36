// A long, random but reproducible incident history, driven through the real command handler
// so that every event in the log is one the domain accepted.
import {
  type Actor,
  DomainError,
  type IncidentCommand,
  type MitigationAction,
  type Severity,
  triage,
} from '@vigil/core';
import { IncidentStore } from '@vigil/db';

/** A small seeded PRNG (mulberry32): the same seed replays the same history. */
export function seeded(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, pick };
}

const people: Actor[] = [
  { kind: 'human', id: 'u_alice', name: 'Alice' },
  { kind: 'human', id: 'u_bob', name: 'Bob' },
  { kind: 'human', id: 'u_carol' },
];
const detector: Actor = { kind: 'detector', id: 'vigil-detector', name: 'Vigil detector' };
const services = ['checkout', 'search', 'login'];
const kinds = ['error_rate', 'response_time', 'availability'];
const severitiesList: Severity[] = ['P0', 'P1', 'P2', 'P3'];
const actions: MitigationAction[] = ['rollback', 'scale_up', 'clear_cache', 'restart_service', 'custom'];

/**
 * Issues `steps` random commands over a growing set of incidents, starting at `start` and
 * moving the clock forward a few minutes per step; refused commands are part of the game.
 * `between` runs after every step (the test projects there, at random).
 */
export async function randomHistory(
  db: D1Database,
  {
    seed,
    steps,
    start,
    between,
  }: { seed: number; steps: number; start: Date; between?: (step: number) => Promise<void> },
): Promise<{ accepted: number; incidents: string[] }> {
  const random = seeded(seed);
  const store = new IncidentStore(db);
  const incidents: string[] = [];
  let clock = start.getTime();
  let accepted = 0;
  for (let step = 0; step < steps; step++) {
    clock += Math.floor(random.next() * 20 + 1) * 60_000;
    const at = new Date(clock).toISOString();
    const by = random.pick(people);
    const open = incidents.length === 0 || random.next() < 0.12;
    const incidentId = open
      ? `INC-R${seed}-${String(incidents.length).padStart(3, '0')}`
      : random.pick(incidents);
    const base = { incidentId, at, by };
    let commands: IncidentCommand[];
    if (open) {
      const service = random.pick(services);
      const kind = random.pick(kinds);
      const severity = random.pick(severitiesList);
      const impact = {
        usersAffected: Math.round(random.next() * 100),
        revenueImpact: 3,
        severity: 'high' as const,
      };
      const startedAt = new Date(clock - Math.floor(random.next() * 10) * 60_000).toISOString();
      commands = [
        {
          type: 'DetectIncident',
          data: {
            incidentId,
            at,
            by: detector,
            service,
            kind,
            severity,
            title: `${service} ${kind}`,
            startedAt,
            detectedAt: at,
            impact,
          },
        },
        {
          type: 'TriageIncident',
          data: {
            incidentId,
            at,
            by: detector,
            triage: triage({ incident: { service, kind, severity, impact }, history: [] }),
          },
        },
      ];
    } else {
      const n = step;
      commands = [
        random.pick<IncidentCommand>([
          { type: 'AcknowledgeIncident', data: base },
          { type: 'EscalateIncident', data: { ...base, toRole: 'team-lead', reason: 'slow progress' } },
          {
            type: 'ChangeSeverity',
            data: { ...base, to: random.pick(severitiesList), reason: 'reassessed' },
          },
          { type: 'IdentifyRootCause', data: { ...base, rootCause: `cause ${n}` } },
          {
            type: 'PostStatusUpdate',
            data: {
              ...base,
              updateId: `u-${n}`,
              status: 'identified',
              message: `update ${n}`,
              visibility: random.next() < 0.5 ? 'public' : 'internal',
            },
          },
          {
            type: 'AttemptMitigation',
            data: { ...base, mitigationId: `m-${n}`, action: random.pick(actions), description: `try ${n}` },
          },
          { type: 'MarkMitigated', data: base },
          { type: 'MarkMitigated', data: base },
          { type: 'ReportRelapse', data: { ...base, reason: 'again' } },
          { type: 'ResolveIncident', data: { ...base, resolution: `fixed ${n}` } },
          { type: 'ResolveIncident', data: { ...base, resolution: `fixed ${n}` } },
          { type: 'ReopenIncident', data: { ...base, reason: 'back' } },
          { type: 'AddNote', data: { ...base, text: `note ${n}` } },
          {
            type: 'DraftPostmortem',
            data: { ...base, lessonsLearned: [`lesson ${n}`], acknowledgments: ['Alice'] },
          },
          { type: 'PublishPostmortem', data: base },
          {
            type: 'AddActionItem',
            data: {
              ...base,
              actionItemId: `ai-${n}`,
              title: `improve ${n}`,
              ownerRole: 'engineer',
              kind: 'monitoring',
            },
          },
          {
            type: 'ChangeActionItemStatus',
            data: {
              ...base,
              actionItemId: `ai-${Math.max(0, n - 1 - Math.floor(random.next() * 10))}`,
              to: random.pick(['in-progress', 'completed', 'failed'] as const),
              reason: 'tried',
            },
          },
        ]),
      ];
    }
    try {
      await store.execute(incidentId, commands);
      accepted += commands.length;
      if (open) incidents.push(incidentId);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
    await between?.(step);
  }
  return { accepted, incidents };
}
