import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../core/data/dataset.ts';
import type { Model } from '../core/models/model.ts';
import { modelFor } from '../core/models/registry.ts';
import { type Mask, disposeMask } from '../core/prune/mask.ts';
import { deviceTensors, restoreTrainee, snapshotTrainee } from '../core/train/snapshot.ts';
import { type Trainee, TrainingDivergedError, disposeTrainee, trainTo } from '../core/train/trainer.ts';
import { isAbortError } from '../core/train/yield.ts';
import type { CopyWorkerCommand, CopyWorkerEvent } from '../protocol/copy-messages.ts';

/** Omit over each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * The body of a copy worker, whatever hosts it: returns the handler of each command. `post`
 * sends an event back; `startBackend` starts the named TensorFlow.js backend and returns the
 * one in use (it throws if it cannot start it).
 */
export function copyWorkerHandler(
  post: (event: CopyWorkerEvent) => void,
  startBackend: (name: string) => Promise<string>,
): (command: CopyWorkerCommand) => Promise<void> {
  let setup: { model: Model; train: ImageDataset } | null = null;
  const running = new Map<number, AbortController>();

  async function train(command: Extract<CopyWorkerCommand, { type: 'train' }>): Promise<void> {
    const { job } = command;
    const controller = new AbortController();
    running.set(job, controller);
    let mask: Mask | null = null;
    let trainee: Trainee | null = null;
    let outcome: DistributiveOmit<Extract<CopyWorkerEvent, { type: 'done' | 'failed' | 'cancelled' }>, 'numTensors'>;
    try {
      if (!setup) throw new Error('the worker was asked to train before it was set up');
      mask = command.mask ? deviceTensors(command.mask) : null;
      trainee = restoreTrainee(command.snapshot, mask);
      const options = { model: setup.model, data: setup.train, schedule: command.schedule, signal: controller.signal, reportEveryMs: command.reportEveryMs };
      for await (const p of trainTo(trainee, command.to, options)) post({ type: 'progress', job, step: p.step, loss: p.loss });
      outcome = { type: 'done', job, snapshot: await snapshotTrainee(trainee) };
    } catch (error) {
      if (isAbortError(error)) outcome = { type: 'cancelled', job };
      else if (error instanceof TrainingDivergedError)
        outcome = { type: 'failed', job, message: error.message, diverged: { step: error.step, loss: error.loss } };
      else outcome = { type: 'failed', job, message: error instanceof Error ? error.message : String(error) };
    } finally {
      if (trainee) disposeTrainee(trainee);
      if (mask) disposeMask(mask);
      running.delete(job);
    }
    // Counted after the job's tensors are freed: what is left is a leak (the run's leak check adds it).
    post({ ...outcome, numTensors: tf.engine().state.numTensors });
  }

  return async (command) => {
    switch (command.type) {
      case 'setup':
        try {
          const backend = await startBackend(command.backend);
          setup = { model: modelFor(command.model, command.width), train: command.train };
          post({ type: 'ready', backend });
        } catch (error) {
          post({ type: 'setup-failed', message: error instanceof Error ? error.message : String(error) });
        }
        break;
      case 'train':
        await train(command);
        break;
      case 'cancel':
        running.get(command.job)?.abort();
        break;
    }
  };
}
