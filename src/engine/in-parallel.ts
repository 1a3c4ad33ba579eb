/** Runs `work` over `items`, at most `limit` at a time; rejects with the first failure once all have settled. */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  const settled = await Promise.allSettled(lanes);
  const failure = settled.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
}
