import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { type MetricSample, MetricWindows, minuteOf, sumBuckets } from './metricWindows';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 29, 8, minute, 30)).toISOString();

describe('metric windows', () => {
  it('folds a batch larger than one statement chunk exactly once, even when delivered again', async () => {
    const windows = new MetricWindows(env.DB);
    const samples: MetricSample[] = Array.from({ length: 5_000 }, (_, i) => ({
      id: `big-${i}`,
      service: 'bulk',
      at: at(i % 3),
      requests: 10,
      errors: i % 2,
      histogram: [0, 0, 0, 4, 6],
    }));
    await windows.fold(samples, [], new Date());
    await windows.fold(samples.slice(1_000, 4_500), [], new Date());
    const buckets = await windows.bucketsBetween('bulk', minuteOf(at(0)), minuteOf(at(2)));
    const totals = sumBuckets([...buckets.values()]);
    expect(totals.requests).toBe(50_000);
    expect(totals.errors).toBe(2_500);
    expect(totals.histogram).toEqual([0, 0, 0, 20_000, 30_000]);
  });

  it('finds the newest deploy and the version before it, past redeploys of the same version', async () => {
    const windows = new MetricWindows(env.DB);
    const deploy = (id: string, minute: number, version: string) => ({
      id,
      service: 'redeployed',
      at: at(minute),
      version,
    });
    await windows.fold(
      [],
      [deploy('d-1', 0, 'v41'), deploy('d-2', 10, 'v42'), deploy('d-3', 20, 'v42'), deploy('d-4', 40, 'v43')],
      new Date(),
    );
    const [latest, previous] = await windows.deploymentsBefore('redeployed', at(30));
    expect([latest?.id, previous?.id]).toEqual(['d-3', 'd-1']);
    expect(await windows.deploymentsBefore('redeployed', at(-1))).toEqual([]);
  });
});

describe('metric windows under concurrent consumers', () => {
  it('counts a signal once when several consumers fold it at the same time', async () => {
    let refused = 0;
    // Observes the batches the folds send: a refused one is a consumer that lost the race.
    const observed = new Proxy(env.DB, {
      get(target, property) {
        if (property === 'batch') {
          return async (statements: D1PreparedStatement[]) => {
            try {
              return await target.batch(statements);
            } catch (error) {
              refused++;
              throw error;
            }
          };
        }
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const samples: MetricSample[] = Array.from({ length: 300 }, (_, i) => ({
      id: `race-${i}`,
      service: 'race',
      at: at(i % 2),
      requests: 10,
      errors: 1,
      histogram: [0, 2],
    }));
    await Promise.all([
      new MetricWindows(observed).fold(samples, [], new Date()),
      new MetricWindows(observed).fold(samples.slice(100), [], new Date()),
      new MetricWindows(observed).fold(samples, [], new Date()),
    ]);
    const buckets = await new MetricWindows(env.DB).bucketsBetween('race', minuteOf(at(0)), minuteOf(at(1)));
    const totals = sumBuckets([...buckets.values()]);
    expect(totals.requests).toBe(3_000);
    expect(totals.errors).toBe(300);
    expect(totals.histogram).toEqual([0, 600]);
    expect(refused).toBeGreaterThan(0);
  });
});
