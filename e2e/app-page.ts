import type { Page } from 'playwright-core';
import type { AppState } from '../src/ui/store.ts';

/** The slice of app state the tests read through the `window.__lmc` hook. */
export type RunSnapshot = Pick<AppState['run'], 'phase' | 'error' | 'tensorsAfterRun' | 'summaries' | 'backend'> & {
  points: number;
  firstPointSeen: boolean;
  linkProblems: readonly string[];
  storedRuns: readonly { id: string; status: string; pairs: number }[];
};

/** A page object for the app: open a link, press buttons, read state through the test hook. */
export class AppPage {
  constructor(readonly page: Page) {}

  /** Opens the app at `hash` (a share link's fragment, without `#`). */
  async open(baseUrl: string, hash: string): Promise<void> {
    await this.page.goto(`${baseUrl}#${hash}`);
    await this.page.getByTestId('start').waitFor();
  }

  async start(): Promise<void> {
    await this.page.getByTestId('start').click();
  }

  async cancel(): Promise<void> {
    await this.page.getByTestId('cancel').click();
  }

  /** Reads the run's state from the store. */
  snapshot(): Promise<RunSnapshot> {
    return this.page.evaluate(() => {
      const store = (window as unknown as { __lmc: { getState(): AppState } }).__lmc.getState();
      const { run } = store;
      const points = Object.values(run.pairs).reduce((n, p) => n + p.testErrors.filter((v) => v !== undefined).length, 0);
      return {
        phase: run.phase,
        error: run.error,
        tensorsAfterRun: run.tensorsAfterRun,
        summaries: run.summaries,
        backend: run.backend,
        points,
        firstPointSeen: points > 0,
        linkProblems: store.linkProblems,
        storedRuns: store.storedRuns.map((r) => ({ id: r.id, status: r.status, pairs: r.pairs })),
      };
    });
  }

  /** Waits until the run has ended however it ended (done, error or cancelled) and the worker said it is idle. */
  async waitForEnd(timeoutMs: number): Promise<RunSnapshot> {
    await this.page.waitForFunction(
      () => {
        const { run } = (window as unknown as { __lmc: { getState(): AppState } }).__lmc.getState();
        return ['done', 'error', 'cancelled'].includes(run.phase) && run.tensorsAfterRun !== null;
      },
      null,
      { timeout: timeoutMs, polling: 200 },
    );
    return this.snapshot();
  }

  /** Polls the state until `done` holds, failing with the last state after `timeoutMs`. */
  async waitFor(done: (s: RunSnapshot) => boolean, timeoutMs: number): Promise<RunSnapshot> {
    const until = Date.now() + timeoutMs;
    let last = await this.snapshot();
    while (!done(last)) {
      if (last.phase === 'error') throw new Error(`run failed: ${last.error}`);
      if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms; state: ${JSON.stringify(last)}`);
      await this.page.waitForTimeout(200);
      last = await this.snapshot();
    }
    return last;
  }
}
