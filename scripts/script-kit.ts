/** True when `check` completes without throwing (e.g. "the prepared files carry the official MD5s"). */
export async function succeeds(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch {
    return false;
  }
}

/** Runs a script's `main`, printing `name: message` and exiting 1 on failure. */
export function runScript(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
