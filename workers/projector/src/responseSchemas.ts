// The shapes the projector answers with, for the OpenAPI document. Handlers build these
// objects from typed read models; the schemas describe them for clients.
import { z } from 'zod';

const Instant = z.string().describe('ISO-8601 instant');
const FirstLast = z.object({ first: Instant.nullable(), last: Instant.nullable() });
const Actor = z.object({
  kind: z.enum(['human', 'detector', 'source', 'system']),
  id: z.string(),
  name: z.string().optional(),
});

export const IncidentItem = z.object({
  id: z.string(),
  service: z.string(),
  kind: z.string(),
  severity: z.enum(['P0', 'P1', 'P2', 'P3']),
  status: z.enum(['detected', 'triaged', 'acknowledged', 'identified', 'mitigated', 'resolved']),
  title: z.string(),
  category: z.string().nullable(),
  ownerRole: z.string().nullable(),
  version: z.number().int(),
  startedAt: Instant,
  detectedAt: Instant,
  acknowledgedAt: Instant.nullable(),
  identifiedAt: Instant.nullable(),
  mitigatedAt: Instant.nullable(),
  resolvedAt: Instant.nullable(),
  transitions: z.object({
    acknowledged: FirstLast,
    identified: FirstLast,
    mitigated: FirstLast,
    resolved: FirstLast,
  }),
});

export const IncidentPage = z.object({ items: z.array(IncidentItem), nextCursor: z.string().nullable() });

export const IncidentDetail = IncidentItem.extend({
  triage: z.record(z.string(), z.unknown()).nullable(),
  state: z
    .record(z.string(), z.unknown())
    .describe(
      'The folded incident state (IncidentState) without its notes and recorded deliveries: both are in the timeline',
    ),
});

export const Timeline = z.object({
  incidentId: z.string(),
  entries: z.array(
    z.object({
      seq: z.number().int(),
      version: z.number().int(),
      at: Instant,
      type: z.string(),
      actor: Actor,
      summary: z.string(),
      visibility: z.enum(['public', 'internal']),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const Postmortem = z.object({
  incidentId: z.string(),
  title: z.string(),
  severity: z.string(),
  date: z.string(),
  status: z.enum(['not drafted', 'draft', 'published']),
  revision: z.number().int().nullable(),
  publishedAt: Instant.nullable(),
  summary: z.object({
    text: z.string(),
    service: z.string(),
    usersAffected: z.number(),
    startedAt: Instant,
    detectedAt: Instant,
    mitigatedAt: Instant.nullable(),
    resolvedAt: Instant.nullable(),
  }),
  impact: z.object({
    durationSeconds: z.number(),
    usersAffected: z.number(),
    revenueImpact: z.number(),
    impactSeverity: z.string(),
    narrative: z.string().nullable(),
  }),
  rootCause: z.string(),
  timeline: z.array(
    z.object({
      seq: z.number(),
      at: Instant,
      type: z.string(),
      actor: Actor,
      summary: z.string(),
      visibility: z.string(),
    }),
  ),
  resolution: z.object({
    text: z.string().nullable(),
    at: Instant.nullable(),
    mitigations: z.array(z.object({ action: z.string(), description: z.string(), outcome: z.string() })),
  }),
  actionItems: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      owner: z.object({ role: z.string().nullable(), person: z.string().nullable() }),
      status: z.string(),
      kind: z.string(),
      dueDate: z.string().nullable(),
    }),
  ),
  lessonsLearned: z.array(z.string()),
  acknowledgments: z.array(z.string()),
});

const Summary = z.object({
  count: z.number().int(),
  mean: z.number().nullable(),
  p50: z.number().nullable(),
  p90: z.number().nullable(),
});
const Check = z.object({
  target: z.number(),
  unit: z.string(),
  measured: z.number().nullable(),
  pass: z.boolean().nullable(),
});

export const Metrics = z.object({
  from: Instant,
  to: Instant,
  service: z.string().nullable(),
  severity: z.string().nullable(),
  incidents: z.number().int(),
  mttd: Summary,
  mtta: Summary,
  mtti: Summary,
  mttm: Summary,
  mttr: Summary,
  frequency: z.object({
    count: z.number().int(),
    months: z.number(),
    perMonth: z.number(),
    byMonth: z.array(z.object({ month: z.string(), count: z.number().int() })),
  }),
  repeats: z.object({ total: z.number().int(), repeats: z.number().int(), rate: z.number().nullable() }),
  compliance: z.object({ mttrP1: Check, mttiP0: Check, mttmP0: Check, frequency: Check, repeats: Check }),
});

const Digest = z.object({
  count: z.number().int(),
  sum: z.number(),
  buckets: z.record(z.string(), z.tuple([z.number(), z.number()])),
});

export const Rollups = z.object({
  from: Instant,
  to: Instant,
  period: z.enum(['hour', 'day']),
  items: z.array(
    z.object({
      period: z.enum(['hour', 'day']),
      bucket: Instant,
      service: z.string().describe("'*' for all services"),
      severity: z.string(),
      incidents: z.number().int(),
      repeats: z.number().int(),
      digests: z.object({ mttd: Digest, mtta: Digest, mtti: Digest, mttm: Digest, mttr: Digest }),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const ActionItemPage = z.object({
  items: z.array(
    z.object({
      incidentId: z.string(),
      id: z.string(),
      service: z.string(),
      title: z.string(),
      kind: z.string(),
      owner: z.object({ role: z.string().nullable(), person: z.string().nullable() }),
      dueDate: z.string().nullable(),
      status: z.enum(['pending', 'in-progress', 'completed', 'failed']),
      failureReason: z.string().nullable(),
      addedAt: Instant,
      updatedAt: Instant,
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const RebuildResult = z.object({
  replayedEvents: z.number().int(),
  position: z.number().int(),
  rolledBuckets: z.number().int(),
  tables: z.record(z.string(), z.number().int()),
  tookMs: z.number(),
});

const ComponentStatus = z.enum(['operational', 'degraded_performance', 'partial_outage', 'major_outage']);

export const StatusSummary = z.object({
  page: z.object({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    time_zone: z.string(),
    updated_at: Instant,
  }),
  components: z.array(
    z
      .object({
        id: z.string(),
        name: z.string(),
        status: ComponentStatus,
        updated_at: Instant,
        position: z.number(),
      })
      .loose(),
  ),
  incidents: z.array(
    z
      .object({
        id: z.string(),
        name: z.string(),
        status: z.enum(['investigating', 'identified', 'monitoring', 'resolved']),
        impact: z.enum(['critical', 'major', 'minor', 'none']),
        incident_updates: z.array(
          z.object({ id: z.string(), status: z.string(), body: z.string(), created_at: Instant }).loose(),
        ),
      })
      .loose(),
  ),
  scheduled_maintenances: z.array(z.unknown()),
  status: z.object({ indicator: z.enum(['none', 'minor', 'major', 'critical']), description: z.string() }),
});
