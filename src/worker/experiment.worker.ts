/// <reference lib="webworker" />
/**
 * The training worker: decodes commands, loads the data once, starts a backend, runs the core
 * experiment and posts its events. Nothing here computes; the core does.
 */
import * as tf from '@tensorflow/tfjs';
import { type ExperimentConfig } from '../core/experiments/config.ts';
import { runExperiment } from '../core/experiments/run.ts';
import { optimizerOf } from '../core/experiments/trainees.ts';
import { modelFor } from '../core/models/registry.ts';
import { measureStepsPerSecond } from '../core/train/probe.ts';
import { isAbortError } from '../core/train/yield.ts';
import { type DatasetStatus, type WorkerCommand, type WorkerEvent, assertNever } from '../protocol/messages.ts';
import { chooseBackend } from './backend.ts';
import { copyWorkersFor, dropCopyWorkers } from './copy-workers.ts';
import { checkCifar, experimentData, forgetCifar, loadCifar } from './datasets.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (event: WorkerEvent): void => scope.postMessage(event);
const reportCifar = (status: DatasetStatus): void => post({ type: 'cifar', status });

let current: { runId: string; controller: AbortController; finished: Promise<void> } | null = null;

async function run(runId: string, config: ExperimentConfig, dataUrl: string, signal: AbortSignal): Promise<void> {
  try {
    post({ type: 'status', runId, message: config.model === 'resnet-20' ? 'Loading CIFAR-10…' : 'Loading MNIST (60,000 training and 10,000 test images)…' });
    const data = await experimentData(config, dataUrl, reportCifar);
    post({ type: 'status', runId, message: `Starting the ${config.backend} backend…` });
    const model = modelFor(config.model, config.width);
    const chosen = await chooseBackend(config.backend, () => measureStepsPerSecond(model, data.train, optimizerOf(config), config.batchSize));
    const notices = [...chosen.notices];
    const copyTrainer = await copyWorkersFor({ backend: chosen.chosen, model: config.model, width: config.width, train: data.train }, (problem) => notices.push(problem));
    if (copyTrainer) notices.push(`the two copies of each pair train at once in ${copyTrainer.parallelism} workers`);
    const report = { ...chosen, notices };
    post({ type: 'backend', runId, report });
    for await (const event of runExperiment(config, data, { backend: report.chosen, signal, copyTrainer: copyTrainer ?? undefined })) {
      post({ type: 'experiment', runId, event });
    }
  } catch (error) {
    if (isAbortError(error)) post({ type: 'cancelled', runId });
    else {
      dropCopyWorkers();
      post({ type: 'error', runId, message: error instanceof Error ? error.message : String(error) });
    }
  } finally {
    post({ type: 'idle', runId, numTensors: tf.memory().numTensors });
  }
}

scope.onmessage = async (message: MessageEvent<WorkerCommand>) => {
  const command = message.data;
  switch (command.type) {
    case 'start': {
      if (current) {
        current.controller.abort();
        await current.finished;
      }
      const controller = new AbortController();
      const finished = run(command.runId, command.config, command.dataUrl, controller.signal);
      current = { runId: command.runId, controller, finished };
      await finished;
      if (current?.runId === command.runId) current = null;
      break;
    }
    case 'cancel':
      if (current?.runId === command.runId) current.controller.abort();
      break;
    case 'load-cifar':
      await loadCifar(command.source, reportCifar);
      break;
    case 'cifar-status':
      await checkCifar(command.dataUrl, reportCifar);
      break;
    case 'forget-cifar':
      await forgetCifar(reportCifar);
      break;
    default:
      assertNever(command);
  }
};
