import { expect } from 'vitest';
import type { IncidentCommand } from '../commands';
import { decide } from '../decide';
import { DomainError, type DomainErrorCode } from '../errors';
import type { IncidentEvent } from '../events';
import { evolve, foldIncident } from '../evolve';
import type { IncidentState } from '../state';

/**
 * Given a history, when a command arrives, then these events (or this refusal).
 * `then` returns the state after the new events so a test can say what a user would see.
 */
class Scenario {
  constructor(
    private readonly history: readonly IncidentEvent[],
    private readonly command: IncidentCommand,
  ) {}

  // biome-ignore lint/suspicious/noThenProperty: the given/when/then vocabulary; a Scenario is never awaited.
  then(expected: readonly IncidentEvent[]): IncidentState {
    const state = foldIncident(this.history);
    const events = decide(this.command, state);
    expect(events).toEqual(expected);
    return events.reduce(evolve, state);
  }

  thenThrows(code: DomainErrorCode): DomainError {
    const state = foldIncident(this.history);
    let thrown: unknown;
    try {
      decide(this.command, state);
    } catch (error) {
      thrown = error;
    }
    expect(thrown, `expected ${this.command.type} to be refused with ${code}`).toBeInstanceOf(DomainError);
    const refusal = thrown as DomainError;
    expect(refusal.code).toBe(code);
    return refusal;
  }
}

export function given(history: readonly IncidentEvent[]) {
  return { when: (command: IncidentCommand) => new Scenario(history, command) };
}
