import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authed, eventually, type Stack, startTestStack } from './stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('signal to incident, across all four Workers', () => {
  it('both HTTP Workers answer /health with D1 up', async () => {
    for (const worker of ['producer', 'projector'] as const) {
      const response = await fetch(`${stack.urls[worker]}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ worker: `vigil-${worker}`, d1: { ok: true } });
    }
  });

  it('an error-rate breach sent to the producer shows up as a triaged P1 incident on the projector', async () => {
    const breach = (at: string) => ({
      type: 'metrics',
      service: 'checkout',
      at,
      windowSeconds: 60,
      requests: 1000,
      errors: 80,
      latencyMs: { p95: 300 },
    });
    const accepted = await fetch(
      `${stack.urls.producer}/v1/signals`,
      authed(stack.key, {
        method: 'POST',
        body: JSON.stringify({ signals: [breach(minutesAgo(2)), breach(minutesAgo(1))] }),
      }),
    );
    expect(accepted.status).toBe(202);

    const incident = await eventually(async () => {
      const response = await fetch(
        `${stack.urls.projector}/v1/incidents?service=checkout`,
        authed(stack.key),
      );
      const body = (await response.json()) as { items: Record<string, unknown>[] };
      return body.items[0];
    });
    expect(incident).toMatchObject({
      service: 'checkout',
      kind: 'error_rate',
      severity: 'P1',
      status: 'triaged',
      ownerRole: 'senior-engineer',
      version: 2,
    });

    const timeline = await fetch(
      `${stack.urls.projector}/v1/incidents/${incident.id}/timeline`,
      authed(stack.key),
    );
    const { entries } = (await timeline.json()) as { entries: { type: string; summary: string }[] };
    expect(entries.map((entry) => entry.type)).toEqual(['IncidentDetected', 'IncidentTriaged']);
    expect(entries[0]!.summary).toMatch(/P1 error_rate incident detected on checkout/);
  });
});
