import { type ReactNode, useState } from 'react';
import { formatSeconds } from './duration-words.ts';

/** Runs estimated longer than this (15 minutes) ask before they start. */
export const CONFIRM_ABOVE_SECONDS = 15 * 60;

/**
 * Start, or first ask when the estimate on this device is over {@link CONFIRM_ABOVE_SECONDS}: `begin`
 * is what the Start button calls, `dialog` the question to render (null unless it is being asked).
 */
export function useLongRunConfirm(seconds: number | null, busy: boolean, start: () => void): { begin: () => void; dialog: ReactNode } {
  const [confirming, setConfirming] = useState(false);
  const begin = (): void => {
    if (seconds !== null && seconds > CONFIRM_ABOVE_SECONDS && !confirming) setConfirming(true);
    else {
      setConfirming(false);
      start();
    }
  };
  const dialog =
    confirming && !busy && seconds !== null ? (
      <div className="confirm" role="alertdialog" aria-label="Confirm a long run" data-testid="confirm-long-run">
        This run is estimated to take about {formatSeconds(seconds)} on this device. Start it anyway?{' '}
        <button type="button" data-testid="confirm-start" onClick={begin}>
          Start anyway
        </button>{' '}
        <button type="button" onClick={() => setConfirming(false)}>
          Not now
        </button>
      </div>
    ) : null;
  return { begin, dialog };
}
