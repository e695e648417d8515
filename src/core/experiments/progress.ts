/**
 * Counts work done against a known total and estimates time left from the rate so far.
 * Work is in example-passes (a training example counts 1, an evaluated example 1/3).
 */
export class WorkMeter {
  private done = 0;
  private readonly start = performance.now();

  /** @param total the whole run's work (> 0). */
  constructor(readonly total: number) {}

  /** Records `amount` more work done. */
  add(amount: number): void {
    this.done = Math.min(this.total, this.done + amount);
  }

  /** Fraction done (0–1), seconds elapsed, and seconds left (null before any work is done). */
  snapshot(): { fractionDone: number; elapsedSeconds: number; etaSeconds: number | null } {
    const elapsedSeconds = (performance.now() - this.start) / 1000;
    const fractionDone = this.total > 0 ? this.done / this.total : 1;
    const etaSeconds = this.done > 0 ? (elapsedSeconds * (this.total - this.done)) / this.done : null;
    return { fractionDone, elapsedSeconds, etaSeconds };
  }
}

/** Relative cost of evaluating one example versus training on it (forward only, ≈ 1/3). */
export const EVAL_COST = 1 / 3;
