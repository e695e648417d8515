import { runLockName, webLocks } from '../protocol/run-locks.ts';

/** Thrown when another tab of this browser is running the run already. */
export class RunElsewhereError extends Error {
  override readonly name = 'RunElsewhereError';
}

/**
 * Runs `body` holding run `runId`'s Web Lock for its whole length; throws
 * {@link RunElsewhereError} at once when another tab holds it. Where the browser has no Web
 * Locks, `body` runs unguarded.
 */
export async function withRunLock<T>(runId: string, body: () => Promise<T>): Promise<T> {
  const locks = webLocks();
  if (!locks) return body();
  return locks.request(runLockName(runId), { ifAvailable: true }, async (lock) => {
    if (!lock) throw new RunElsewhereError('this run is running in another tab of this browser: follow it there, or close that tab and resume it here');
    return body();
  });
}
