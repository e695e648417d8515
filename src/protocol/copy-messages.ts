import type { ImageDataset } from '../core/data/dataset.ts';
import type { ModelName } from '../core/models/model.ts';
import type { LrSchedule } from '../core/train/schedule.ts';
import type { HostTensors, TraineeSnapshot } from '../core/train/snapshot.ts';

/**
 * Messages between an experiment and a copy worker, which trains one network at a time from a
 * snapshot (the two copies of a pair train in two such workers at once on CPU backends).
 */
export type CopyWorkerCommand =
  /** Start `backend` and keep the model and training split for the jobs that follow. */
  | { readonly type: 'setup'; readonly backend: string; readonly model: ModelName; readonly width: number; readonly train: ImageDataset }
  /** Train the network of `snapshot` (masked by `mask`) until its step reaches `to`. */
  | {
      readonly type: 'train';
      readonly job: number;
      readonly snapshot: TraineeSnapshot;
      readonly mask: HostTensors | null;
      readonly to: number;
      readonly schedule: LrSchedule;
      readonly reportEveryMs: number;
    }
  | { readonly type: 'cancel'; readonly job: number };

/**
 * Replies of a copy worker. Every reply that ends a job carries `numTensors`: the tensors still
 * allocated in that worker once the job's own are freed (0 unless something leaked).
 */
export type CopyWorkerEvent =
  | { readonly type: 'ready'; readonly backend: string }
  | { readonly type: 'setup-failed'; readonly message: string }
  | { readonly type: 'progress'; readonly job: number; readonly step: number; readonly loss: number | null }
  | { readonly type: 'done'; readonly job: number; readonly snapshot: TraineeSnapshot; readonly numTensors: number }
  /** `diverged` when the loss became NaN or infinite (at that step, with that loss). */
  | {
      readonly type: 'failed';
      readonly job: number;
      readonly message: string;
      readonly diverged?: { readonly step: number; readonly loss: number };
      readonly numTensors: number;
    }
  | { readonly type: 'cancelled'; readonly job: number; readonly numTensors: number };
