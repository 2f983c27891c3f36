import { env, SELF } from 'cloudflare:test';
import { ApiKeys, IncidentProjection, IncidentStore } from '@vigil/db';
import { beforeAll, describe, expect, it } from 'vitest';

// Events already in a log may carry a UTC offset or whole seconds without milliseconds; the
// list must still order, filter and page them by the instant they name.
let readKey: string;

const get = (path: string) =>
  SELF.fetch(`http://projector.test${path}`, { headers: { authorization: `Bearer ${readKey}` } });
const ids = async (query: string) =>
  ((await (await get(`/v1/incidents?${query}`)).json()) as { items: { id: string }[] }).items.map(
    (item) => item.id,
  );

async function detect(id: string, service: string, startedAt: string, detectedAt: string) {
  await new IncidentStore(env.DB).execute(id, [
    {
      type: 'DetectIncident',
      data: {
        incidentId: id,
        at: detectedAt,
        by: { kind: 'detector', id: 'vigil-detector' },
        service,
        kind: 'alert',
        severity: 'P1',
        title: `${service} alert`,
        startedAt,
        detectedAt,
        impact: { usersAffected: 0, revenueImpact: 0, severity: 'high' },
      },
    },
  ]);
}

beforeAll(async () => {
  readKey = (await new ApiKeys(env.DB).create({ name: 'reader', scopes: ['read'] })).key;
  // 10:00 at UTC+2 is 08:00 UTC: an hour before INC-UTC, though its text sorts after it.
  await detect('INC-OFF', 'checkout', '2026-11-20T10:00:00+02:00', '2026-11-20T08:01:00.000Z');
  await detect('INC-UTC', 'checkout', '2026-11-20T09:00:00.000Z', '2026-11-20T09:01:00.000Z');
  // Half a second apart, though '…00Z' sorts after '…00.500Z' as text.
  await detect('INC-WHOLE', 'search', '2026-11-20T09:00:00Z', '2026-11-20T09:01:00Z');
  await detect('INC-HALF', 'search', '2026-11-20T09:00:00.500Z', '2026-11-20T09:01:00Z');
  await new IncidentProjection(env.DB).catchUp();
});

describe('incident times written with a UTC offset or without milliseconds', () => {
  it('lists, filters and pages incidents by the instant they started', async () => {
    expect(await ids('service=checkout')).toEqual(['INC-UTC', 'INC-OFF']);
    expect(await ids('service=checkout&since=2026-11-20T08:30:00Z')).toEqual(['INC-UTC']);
    expect(await ids('service=checkout&until=2026-11-20T08:30:00Z')).toEqual(['INC-OFF']);
    const first = (await (await get('/v1/incidents?service=checkout&limit=1')).json()) as {
      nextCursor: string;
    };
    expect(await ids(`service=checkout&limit=1&cursor=${first.nextCursor}`)).toEqual(['INC-OFF']);
  });

  it('answers every time in UTC', async () => {
    const incident = (await (await get('/v1/incidents/INC-OFF')).json()) as Record<string, unknown>;
    expect(incident).toMatchObject({
      startedAt: '2026-11-20T08:00:00.000Z',
      detectedAt: '2026-11-20T08:01:00.000Z',
    });
  });

  it('orders starts with and without milliseconds by time', async () => {
    expect(await ids('service=search')).toEqual(['INC-HALF', 'INC-WHOLE']);
  });
});
