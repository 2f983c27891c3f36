// A Worker invocation keeps at most six connections open at once; more would only queue
// inside the runtime, where their time limit would run while they wait.
export const MAX_CONCURRENT_SENDS = 6;

/**
 * Runs `work` over the items with at most `limit` in flight, so one slow item holds back at
 * most one slot. Every item runs even if another fails; failures are reported together.
 *
 * @example
 * await runConcurrently(jobs, 6, (job) => deliver(context, job));
 */
export async function runConcurrently<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw new AggregateError(errors, `${errors.length} of ${items.length} failed`);
}
