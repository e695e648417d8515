import { describe, expect, test } from 'vitest';
import { collect, setTestSignal, settleAbandonedRuns } from './isolation.ts';

describe('test isolation', () => {
  test('a run whose test timed out stops at its next value and is closed (its finally runs) before the next test', async () => {
    const controller = new AbortController();
    let closed = false;
    let produced = 0;
    async function* run(): AsyncGenerator<number> {
      try {
        for (;;) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          yield produced++;
        }
      } finally {
        closed = true;
      }
    }
    setTestSignal(controller.signal);
    const abandoned = collect(run());
    setTestSignal(undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await settleAbandonedRuns();
    expect(closed).toBe(true);
    await expect(abandoned).rejects.toThrow('the test timed out, so its run was stopped');
    const at = produced;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(produced).toBe(at);
  });
});
