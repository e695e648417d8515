/** Instability below this many percentage points counts as stable (paper, section 2). */
export const STABILITY_THRESHOLD_POINTS = 2;

/**
 * Error barrier height of a path: the maximum error along it minus the mean of its two
 * endpoint errors (paper, section 2). `errors` are in percent, first and last are the endpoints.
 */
export function errorBarrier(errors: readonly number[]): number {
  if (errors.length < 2) throw new RangeError('an error curve needs at least its two endpoints');
  const first = errors[0] ?? Number.NaN;
  const last = errors[errors.length - 1] ?? Number.NaN;
  return Math.max(...errors) - (first + last) / 2;
}

/** True when an instability (percentage points) is below {@link STABILITY_THRESHOLD_POINTS}. */
export function isStable(instabilityPoints: number, threshold = STABILITY_THRESHOLD_POINTS): boolean {
  return instabilityPoints < threshold;
}
