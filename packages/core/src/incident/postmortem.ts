/**
 * The postmortem fields only a person can supply. Title, severity, impact figures,
 * root cause, timeline, resolution and action items are derived from the incident's events.
 *
 * @example
 * const draft: PostmortemDraft = { summary: null, impactNarrative: 'Checkout failed for EU users',
 *   lessonsLearned: ['Canary the payment client'], acknowledgments: ['Alice'] };
 */
export type PostmortemDraft = {
  /** Replaces the generated summary when set. */
  readonly summary: string | null;
  readonly impactNarrative: string | null;
  readonly lessonsLearned: readonly string[];
  readonly acknowledgments: readonly string[];
};
