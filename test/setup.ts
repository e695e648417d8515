import { afterEach, beforeEach } from 'vitest';
import { setTestSignal, settleAbandonedRuns } from './isolation.ts';

// Isolation on a busy machine: a test that times out must not leave a run going (and holding
// tensors) into the next test. Each test's runs see its signal; after it, they are waited for.
beforeEach(({ signal }) => setTestSignal(signal));
afterEach(async () => {
  setTestSignal(undefined);
  await settleAbandonedRuns();
});
