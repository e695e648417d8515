/**
 * Counts work done against a known total and estimates time left from the rate so far.
 * Work is in example-passes (a training example counts 1, an evaluated example 1/3).
 */
export class WorkMeter {
  private work = 0;
  /** Work done before this meter started (a resumed run): not counted in the rate. */
  private before = 0;
  private readonly start = performance.now();

  /** @param total the whole run's work (> 0). */
  constructor(readonly total: number) {}

  /** Work done so far. */
  get done(): number {
    return this.work;
  }

  /** Starts from `done` work already done earlier (a resumed run); the rate counts only what follows. */
  resumeAt(done: number): void {
    this.work = Math.min(this.total, done);
    this.before = this.work;
  }

  /** Records `amount` more work done. */
  add(amount: number): void {
    this.work = Math.min(this.total, this.work + amount);
  }

  /** Fraction done (0–1), seconds elapsed, and seconds left (null before any work is done). */
  snapshot(): { fractionDone: number; elapsedSeconds: number; etaSeconds: number | null } {
    const elapsedSeconds = (performance.now() - this.start) / 1000;
    const fractionDone = this.total > 0 ? this.work / this.total : 1;
    const now = this.work - this.before;
    const etaSeconds = now > 0 ? (elapsedSeconds * (this.total - this.work)) / now : null;
    return { fractionDone, elapsedSeconds, etaSeconds };
  }
}

/** Relative cost of evaluating one example versus training on it (forward only, ≈ 1/3). */
export const EVAL_COST = 1 / 3;
