import type { DurationEstimate } from '../protocol/messages.ts';

/** A duration in words a reader takes in at a glance: "42 s", "3 min 5 s", "1 h 12 min" ('…' when unknown). */
export function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '…';
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The sentence that states a run's estimated duration on this device, honestly labelled as an estimate. */
export function describeEstimate(estimate: DurationEstimate | undefined): string {
  if (!estimate) return 'Estimating how long this takes on this device…';
  if ('unavailable' in estimate) return `No duration estimate yet: ${estimate.unavailable}.`;
  const pair = estimate.pairStepsPerSecond ? `, ${estimate.pairStepsPerSecond.toFixed(1)} of a pair's two copies trained side by side as one network` : '';
  return `Estimated duration on this device: about ${formatSeconds(estimate.seconds)} (${estimate.backend}, measured just now: ${estimate.stepsPerSecond.toFixed(1)} training steps/s of one network${pair}; an estimate).`;
}
