import { type ActionItemStatus, actionItemTransitions } from '@vigil/core';
import { ActionItems, OPEN_ACTION_ITEM_STATUSES } from '@vigil/db';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from './cursor';

const statuses = Object.keys(actionItemTransitions) as [ActionItemStatus, ...ActionItemStatus[]];

export const ActionItemsQuery = z
  .object({
    status: z.enum([...statuses, 'open', 'all']).default('open'),
    service: z.string().min(1).max(128).optional(),
    incidentId: z.string().min(1).max(128).optional(),
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type ActionItemsQuery = z.infer<typeof ActionItemsQuery>;

/** `GET /v1/action-items`: open ones by default (pending, in progress or failed), oldest first. */
export async function listActionItems(db: D1Database, query: ActionItemsQuery) {
  const after = query.cursor ? decodeCursor(query.cursor, ['string', 'string', 'string']) : undefined;
  const { items, more } = await new ActionItems(db).list({
    statuses:
      query.status === 'open'
        ? OPEN_ACTION_ITEM_STATUSES
        : query.status === 'all'
          ? statuses
          : [query.status],
    ...(query.service && { service: query.service }),
    ...(query.incidentId && { incidentId: query.incidentId }),
    ...(after && { after }),
    limit: query.limit,
  });
  const last = items.at(-1);
  return { items, nextCursor: more && last ? encodeCursor([last.addedAt, last.incidentId, last.id]) : null };
}
