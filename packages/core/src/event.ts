/**
 * A fact recorded in an incident's stream. The store adds the global sequence, the
 * stream version and metadata; the domain only knows the type and the data.
 *
 * @example
 * type IncidentAcknowledged = Event<'IncidentAcknowledged', { by: Actor; at: string }>;
 */
export type Event<Type extends string, Data> = { readonly type: Type; readonly data: Data };

/**
 * A request to change an incident, named in the imperative.
 *
 * @example
 * type AcknowledgeIncident = Command<'AcknowledgeIncident', { incidentId: string; at: string; by: Actor }>;
 */
export type Command<Type extends string, Data> = { readonly type: Type; readonly data: Data };
