import { usesCifar } from '../core/models/model.ts';
import type { Cifar10 } from '../core/data/cifar.ts';
import type { Mnist } from '../core/data/mnist.ts';
import type { ExperimentConfig } from '../core/experiments/config.ts';
import type { ExperimentData } from '../core/experiments/run-context.ts';
import type { CifarSource, DatasetStatus } from '../protocol/messages.ts';
import { fetchServedCifar, readCifarSource, verifiedCifar } from './cifar-sources.ts';
import { clearCachedCifar, readCachedCifar, writeCachedCifar } from '../storage/cifar-store.ts';
import { fetchMnist } from './mnist-fetch.ts';

/** Reports CIFAR-10's state to the UI. */
export type StatusSink = (status: DatasetStatus) => void;

const NOT_LOADED =
  'CIFAR-10 is not loaded: drop cifar-10-binary.tar.gz (or the six .bin files) on the data panel, or give a URL to it. It is cached in this browser after the first load.';

/**
 * The datasets this worker holds: MNIST once fetched, CIFAR-10 once found or loaded (checked
 * against the official MD5s wherever it comes from). CIFAR-10's state goes to `report`.
 */
export class WorkerDatasets {
  private mnist: Promise<Mnist> | null = null;
  private cifar: Cifar10 | null = null;

  constructor(private readonly report: StatusSink) {}

  /** Loads CIFAR-10 from the user's files or URL, validates it, keeps it and caches it. */
  async loadCifar(source: CifarSource): Promise<void> {
    this.report({ state: 'loading', message: source.kind === 'url' ? `Downloading ${source.url}…` : 'Reading the files…' });
    try {
      const { files, cifar } = await readCifarSource(source, (received, total) =>
        this.report({
          state: 'loading',
          message: `Downloading: ${(received / 1e6).toFixed(1)} MB${total ? ` of ${(total / 1e6).toFixed(1)} MB` : ''}`,
          ...(total ? { progress: received / total } : {}),
        }),
      );
      this.cifar = cifar;
      try {
        await writeCachedCifar(files);
        this.report({ state: 'ready', message: 'CIFAR-10 loaded (50,000 training and 10,000 test images; official MD5s checked) and cached in this browser.' });
      } catch (error) {
        this.report({ state: 'ready', message: `CIFAR-10 loaded, but ${(error as Error).message}.` });
      }
    } catch (error) {
      this.report({
        state: this.cifar ? 'ready' : 'error',
        message: `${(error as Error).message}${this.cifar ? ' (the CIFAR-10 already loaded is kept)' : ''}`,
      });
    }
  }

  /**
   * CIFAR-10 from memory, the browser's cache, or the copy the app serves (npm run data:cifar),
   * in that order; null when none has it.
   */
  private async findCifar(dataUrl: string): Promise<Cifar10 | null> {
    if (this.cifar) return this.cifar;
    const cached = await readCachedCifar().catch(() => null);
    if (cached) {
      try {
        this.cifar = verifiedCifar(cached, 'the copy cached in this browser');
        this.report({ state: 'ready', message: 'CIFAR-10 loaded from this browser’s cache (official MD5s checked).' });
        return this.cifar;
      } catch (error) {
        // Never train on a cached copy that is not the official one: drop it and look further.
        await clearCachedCifar().catch(() => undefined);
        this.report({ state: 'error', message: `${(error as Error).message}; the cached copy was removed.` });
      }
    }
    const served = await fetchServedCifar(new URL('cifar10/', dataUrl).href);
    if (served) {
      this.cifar = served;
      this.report({ state: 'ready', message: 'CIFAR-10 loaded from the copy this server provides (npm run data:cifar; official MD5s checked).' });
      return this.cifar;
    }
    return null;
  }

  /** Tells the UI whether CIFAR-10 is available, loading it if it is already at hand. */
  async checkCifar(dataUrl: string): Promise<void> {
    try {
      if (!(await this.findCifar(dataUrl))) this.report({ state: 'absent', message: NOT_LOADED });
    } catch (error) {
      this.report({ state: 'error', message: (error as Error).message });
    }
  }

  /** Drops the cached copy (and the one in memory). */
  async forgetCifar(): Promise<void> {
    this.cifar = null;
    await clearCachedCifar().catch(() => undefined);
    this.report({ state: 'absent', message: NOT_LOADED });
  }

  /**
   * The splits a configuration's model trains on; throws a clear error when CIFAR-10 is missing.
   * A URL in the configuration (it may have come from a link) is never fetched here: only the
   * user's own press of the data panel's button, which names the host, downloads it.
   */
  async experimentData(config: ExperimentConfig, dataUrl: string): Promise<ExperimentData> {
    if (usesCifar(config.model)) {
      const found = await this.findCifar(dataUrl);
      if (!found) {
        const message =
          config.cifarUrl === ''
            ? NOT_LOADED
            : `${NOT_LOADED} The link names a copy at ${hostOf(config.cifarUrl)}: the data panel downloads it only when you press its button.`;
        this.report({ state: 'absent', message });
        throw new Error(message);
      }
      return found;
    }
    this.mnist ??= fetchMnist(new URL('mnist/', dataUrl).href).catch((error: unknown) => {
      this.mnist = null;
      throw error;
    });
    return this.mnist;
  }
}

/** The host a URL names (the whole text when it is not a URL). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
