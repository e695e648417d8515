import type { ExperimentConfig } from '../core/experiments/config.ts';
import { sideBySideNotice, sideBySidePays } from '../core/experiments/pair.ts';
import { optimizerOf } from '../core/experiments/trainees.ts';
import { estimateSeconds } from '../core/experiments/work.ts';
import type { ImageDataset } from '../core/data/dataset.ts';
import { modelFor } from '../core/models/registry.ts';
import { type TrainingSpeed, measureTrainingSpeed } from '../core/train/probe.ts';
import type { BackendName, BackendReport } from '../protocol/messages.ts';
import { messageOf } from './backend.ts';
import { copyWorkerCount } from './copy-workers.ts';

/** A training speed, with the backend it was measured on. */
export type MeasuredSpeed = { readonly backend: BackendName } & TrainingSpeed;

/** The data a speed is measured on and a run's work counted over. */
type SpeedData = { readonly train: ImageDataset; readonly test: { readonly count: number } };

/** A run's estimated seconds on each backend at a probed speed, with the copy workers that backend gets in this browser (what `auto` compares). */
export function runSecondsOf(config: ExperimentConfig, data: SpeedData) {
  return (backend: BackendName, speed: TrainingSpeed): number =>
    estimateSeconds(
      config,
      speed.stepsPerSecond,
      copyWorkerCount(backend, config.model),
      { train: data.train.count, test: data.test.count },
      speed.pairStepsPerSecond,
    );
}

/** The backend probe for `config` on `data`: the current backend's training speed (measureTrainingSpeed). */
export function probeOf(config: ExperimentConfig, data: SpeedData): () => Promise<TrainingSpeed> {
  const model = modelFor(config.model, config.width);
  return () => measureTrainingSpeed(model, data.train, optimizerOf(config), config.batchSize);
}

/** What a training speed measured for `config` holds for: its backend request, model, width, batch size and optimiser. */
function speedKeyOf(config: ExperimentConfig): string {
  return [config.backend, config.model, config.width, config.batchSize, config.optimizer].join('/');
}

/**
 * The training speeds a worker has measured, by setting (backend request, model, width, batch
 * size, optimiser), each with the backend it was measured on: the duration estimate's, which a
 * run reuses, and the runs'. Decides from them whether a run's pairs train side by side.
 */
export class TrainingSpeeds {
  private readonly speeds = new Map<string, MeasuredSpeed>();

  /** The speed measured for `config`, if any (on whichever backend its request started). */
  known(config: ExperimentConfig): MeasuredSpeed | undefined {
    return this.speeds.get(speedKeyOf(config));
  }

  /**
   * The training speed of `config` on the backend `chosen` started: `auto`'s probe of it where it
   * ran one, else the speed measured earlier on that backend, else `probe` run now. Kept.
   */
  async of(config: ExperimentConfig, chosen: BackendReport, probe: () => Promise<TrainingSpeed>): Promise<MeasuredSpeed> {
    const probed = chosen.probes.find((p) => p.backend === chosen.chosen);
    const cached = this.known(config);
    const speed = probed ?? (cached?.backend === chosen.chosen ? cached : { ...(await probe()), backend: chosen.chosen });
    this.speeds.set(speedKeyOf(config), speed);
    return speed;
  }

  /**
   * Whether a run's pairs train side by side: only where a pair's step so was measured faster
   * than two steps of one network ({@link of}; `onTiming` is called before a probe runs now).
   * Adds the reason to `notices`. Where timing fails (a pair twice as wide may not fit), the
   * copies train one after the other; undefined leaves the default (a model without the form).
   */
  async sideBySide(
    config: ExperimentConfig,
    chosen: BackendReport,
    probe: () => Promise<TrainingSpeed>,
    notices: string[],
    onTiming: () => void,
  ): Promise<boolean | undefined> {
    try {
      const speed = await this.of(config, chosen, () => {
        onTiming();
        return probe();
      });
      if (speed.pairStepsPerSecond === null) return undefined;
      const on = sideBySidePays(speed);
      notices.push(sideBySideNotice(on, speed));
      return on;
    } catch (error) {
      notices.push(`the copies of each pair train one after the other: timing them side by side failed (${messageOf(error)})`);
      return false;
    }
  }
}
