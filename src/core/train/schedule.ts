/** A learning-rate schedule: base rate, linear warmup and step drops (open_lth's composition). */
export interface LrSchedule {
  /** Base learning rate (> 0). */
  readonly learningRate: number;
  /** Steps at which the rate is multiplied by `gamma` (e.g. ResNet-20: [32000, 48000]). */
  readonly milestones: readonly number[];
  /** Multiplier at each milestone (open_lth: 0.1). */
  readonly gamma: number;
  /** Linear warmup length in steps; 0 for none. */
  readonly warmupSteps: number;
}

/**
 * Learning rate at global step `step` (0-based): base × min(1, step / warmupSteps) ×
 * gamma^(number of milestones ≤ step), as open_lth computes it.
 */
export function learningRateAt(schedule: LrSchedule, step: number): number {
  let lr = schedule.learningRate;
  if (schedule.warmupSteps > 0) lr *= Math.min(1, step / schedule.warmupSteps);
  for (const m of schedule.milestones) if (step >= m) lr *= schedule.gamma;
  return lr;
}
