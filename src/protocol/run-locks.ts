/**
 * The Web Lock a tab's worker holds while it runs `runId`: other tabs see the run as live
 * (not interrupted) and cannot resume or delete it, so two tabs never write the same stored run.
 */
export function runLockName(runId: string): string {
  return `${PREFIX}${runId}`;
}

const PREFIX = 'lmc-lab-run:';

/** This browser's Web Locks, where it has them. */
export function webLocks(): LockManager | null {
  return (globalThis.navigator as { locks?: LockManager } | undefined)?.locks ?? null;
}

/** The ids of the runs some tab of this browser is running now (empty without Web Locks). */
export async function liveRunIds(): Promise<Set<string>> {
  const locks = webLocks();
  if (!locks) return new Set();
  const { held = [] } = await locks.query();
  return new Set(held.flatMap((l) => (l.name?.startsWith(PREFIX) ? [l.name.slice(PREFIX.length)] : [])));
}
