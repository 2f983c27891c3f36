import { z } from 'zod';
import { ServiceName, Severity, Timestamp } from './signals';

/** Bodies of the responder commands (`POST /v1/incidents…`). */
export const DeclareIncidentBody = z
  .object({
    service: ServiceName,
    severity: Severity,
    title: z.string().min(1).max(512),
    kind: z.string().min(1).max(64).optional(),
    startedAt: Timestamp.optional(),
    usersAffected: z.number().min(0).max(100).optional(),
    revenueImpact: z.number().min(0).optional(),
  })
  .strict();

export const EscalateBody = z
  .object({ toRole: z.string().min(1).max(64), reason: z.string().min(1).max(1024) })
  .strict();
export const SeverityBody = z.object({ severity: Severity, reason: z.string().min(1).max(1024) }).strict();
export const IdentifyBody = z.object({ rootCause: z.string().min(1).max(4096) }).strict();
export const StatusUpdateBody = z
  .object({
    status: z.enum(['investigating', 'identified', 'monitoring', 'resolved']),
    message: z.string().min(1).max(4096),
    visibility: z.enum(['public', 'internal']).default('internal'),
  })
  .strict();
export const MitigationBody = z
  .object({
    action: z.enum(['rollback', 'scale_up', 'clear_cache', 'restart_service', 'custom']),
    description: z.string().min(1).max(1024),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .strict();
export const MitigationResultBody = z
  .object({ outcome: z.enum(['succeeded', 'failed']), message: z.string().min(1).max(1024) })
  .strict();
export const MitigatedBody = z.object({ mitigationId: z.string().min(1).max(64).optional() }).strict();
export const ResolveBody = z.object({ resolution: z.string().min(1).max(4096) }).strict();
export const ReopenBody = z.object({ reason: z.string().min(1).max(1024) }).strict();
export const NoteBody = z.object({ text: z.string().min(1).max(8192) }).strict();
export const ActionItemBody = z
  .object({
    title: z.string().min(1).max(512),
    kind: z.enum(['monitoring', 'alerting', 'procedure', 'documentation', 'other']).default('other'),
    ownerRole: z.string().min(1).max(64).optional(),
    ownerPerson: z.string().min(1).max(128).optional(),
    dueDate: z.iso.date().optional(),
  })
  .strict();
export const ActionItemStatusBody = z
  .object({
    status: z.enum(['pending', 'in-progress', 'completed', 'failed']),
    reason: z.string().min(1).max(1024).optional(),
  })
  .strict();
export const PostmortemBody = z
  .object({
    summary: z.string().min(1).max(8192).optional(),
    impactNarrative: z.string().min(1).max(8192).optional(),
    lessonsLearned: z.array(z.string().min(1).max(1024)).max(50).default([]),
    acknowledgments: z.array(z.string().min(1).max(256)).max(100).optional(),
  })
  .strict();
/** Commands without fields accept an empty object or no body at all. */
export const EmptyBody = z.object({}).strict();
