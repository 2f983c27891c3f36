import { type IncidentEvent, isKnownIncidentEvent } from '@vigil/core';
import { postmortemOf, publicPostmortemOf } from '@vigil/core/projections';
import { EventStore } from '@vigil/db';
import { RequestError } from '@vigil/http';

// Postmortems are folded from the incident's own stream on request: one stream is small, and
// reading the log itself means the document can never disagree with it.
async function streamOf(db: D1Database, id: string) {
  return (await new EventStore(db).readStream<IncidentEvent>(id)).filter(isKnownIncidentEvent);
}

/** The postmortem of an incident, drafted or not, with every field derived from its events. */
export async function getPostmortem(db: D1Database, id: string) {
  const events = await streamOf(db, id);
  if (events.length === 0) throw new RequestError(404, 'incident_not_found', `No incident ${id}.`);
  return postmortemOf(events);
}

/** The public postmortem of an incident; 404 alike for no incident and an unpublished postmortem. */
export async function getPublicPostmortem(db: D1Database, id: string) {
  const events = await streamOf(db, id);
  const postmortem = events.length > 0 ? publicPostmortemOf(events) : null;
  if (!postmortem) {
    throw new RequestError(404, 'postmortem_not_published', 'No published postmortem for this incident.');
  }
  return postmortem;
}
