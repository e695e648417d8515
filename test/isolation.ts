let testSignal: AbortSignal | undefined;
const inFlight = new Set<Promise<unknown>>();

/** Set by test/setup.ts before each test: aborted by Vitest when the test times out. */
export function setTestSignal(signal: AbortSignal | undefined): void {
  testSignal = signal;
}

/**
 * Waits for every {@link collect} still running to end (test/setup.ts calls it after each
 * test): a run abandoned by a timed-out test stops at its next event and frees its tensors
 * before the next test counts them.
 */
export async function settleAbandonedRuns(): Promise<void> {
  await Promise.allSettled([...inFlight]);
}

/**
 * Collects every value an async generator yields. When the test that started it times out, it
 * stops at the next value, closing the generator (which frees the run's tensors).
 */
export function collect<T>(gen: AsyncIterable<T>): Promise<T[]> {
  const signal = testSignal;
  const run = (async () => {
    const out: T[] = [];
    for await (const v of gen) {
      if (signal?.aborted) throw new Error('the test timed out, so its run was stopped');
      out.push(v);
    }
    return out;
  })();
  inFlight.add(run);
  void run.catch(() => undefined).finally(() => inFlight.delete(run));
  return run;
}
