import type { Cifar10 } from '../core/data/cifar.ts';
import { parseCifar10 } from '../core/data/cifar.ts';
import type { Mnist } from '../core/data/mnist.ts';
import type { ExperimentConfig } from '../core/experiments/config.ts';
import type { ExperimentData } from '../core/experiments/run-context.ts';
import type { CifarSource, DatasetStatus } from '../protocol/messages.ts';
import { fetchServedCifar, readCifarSource, verifiedCifar } from './cifar-sources.ts';
import { clearCachedCifar, readCachedCifar, writeCachedCifar } from '../storage/cifar-store.ts';
import { fetchMnist } from './mnist-fetch.ts';

/** Reports CIFAR-10's state to the UI. */
export type StatusSink = (status: DatasetStatus) => void;

let mnist: Promise<Mnist> | null = null;
let cifar: Cifar10 | null = null;

const NOT_LOADED =
  'CIFAR-10 is not loaded: drop cifar-10-binary.tar.gz (or the six .bin files) on the data panel, or give a URL to it. It is cached in this browser after the first load.';

/** Loads CIFAR-10 from the user's files or URL, validates it, keeps it and caches it. */
export async function loadCifar(source: CifarSource, report: StatusSink): Promise<void> {
  report({ state: 'loading', message: source.kind === 'url' ? `Downloading ${source.url}…` : 'Reading the files…' });
  try {
    const files = await readCifarSource(source, (received, total) =>
      report({
        state: 'loading',
        message: `Downloading: ${(received / 1e6).toFixed(1)} MB${total ? ` of ${(total / 1e6).toFixed(1)} MB` : ''}`,
        ...(total ? { progress: received / total } : {}),
      }),
    );
    cifar = parseCifar10(files);
    try {
      await writeCachedCifar(files);
      report({ state: 'ready', message: 'CIFAR-10 loaded (50,000 training and 10,000 test images; official MD5s checked) and cached in this browser.' });
    } catch (error) {
      report({ state: 'ready', message: `CIFAR-10 loaded, but ${(error as Error).message}.` });
    }
  } catch (error) {
    report({ state: cifar ? 'ready' : 'error', message: `${(error as Error).message}${cifar ? ' (the CIFAR-10 already loaded is kept)' : ''}` });
  }
}

/**
 * CIFAR-10 from memory, the browser's cache, or the copy the app serves (npm run data:cifar),
 * in that order; null when none has it.
 */
async function findCifar(dataUrl: string, report: StatusSink): Promise<Cifar10 | null> {
  if (cifar) return cifar;
  const cached = await readCachedCifar().catch(() => null);
  if (cached) {
    try {
      cifar = parseCifar10(verifiedCifar(cached, 'the copy cached in this browser'));
      report({ state: 'ready', message: 'CIFAR-10 loaded from this browser’s cache (official MD5s checked).' });
      return cifar;
    } catch (error) {
      // Never train on a cached copy that is not the official one: drop it and look further.
      await clearCachedCifar().catch(() => undefined);
      report({ state: 'error', message: `${(error as Error).message}; the cached copy was removed.` });
    }
  }
  const served = await fetchServedCifar(new URL('cifar10/', dataUrl).href);
  if (served) {
    cifar = parseCifar10(served);
    report({ state: 'ready', message: 'CIFAR-10 loaded from the copy this server provides (npm run data:cifar; official MD5s checked).' });
    return cifar;
  }
  return null;
}

/** Tells the UI whether CIFAR-10 is available, loading it if it is already at hand. */
export async function checkCifar(dataUrl: string, report: StatusSink): Promise<void> {
  try {
    if (!(await findCifar(dataUrl, report))) report({ state: 'absent', message: NOT_LOADED });
  } catch (error) {
    report({ state: 'error', message: (error as Error).message });
  }
}

/** Drops the cached copy (and the one in memory). */
export async function forgetCifar(report: StatusSink): Promise<void> {
  cifar = null;
  await clearCachedCifar().catch(() => undefined);
  report({ state: 'absent', message: NOT_LOADED });
}

/**
 * The splits a configuration's model trains on; throws a clear error when CIFAR-10 is missing.
 * A URL in the configuration (it may have come from a link) is never fetched here: only the
 * user's own press of the data panel's button, which names the host, downloads it.
 */
export async function experimentData(config: ExperimentConfig, dataUrl: string, report: StatusSink): Promise<ExperimentData> {
  if (config.model === 'resnet-20') {
    const found = await findCifar(dataUrl, report);
    if (!found) {
      const message =
        config.cifarUrl === ''
          ? NOT_LOADED
          : `${NOT_LOADED} The link names a copy at ${hostOf(config.cifarUrl)}: the data panel downloads it only when you press its button.`;
      report({ state: 'absent', message });
      throw new Error(message);
    }
    return found;
  }
  mnist ??= fetchMnist(new URL('mnist/', dataUrl).href).catch((error: unknown) => {
    mnist = null;
    throw error;
  });
  return mnist;
}

/** The host a URL names (the whole text when it is not a URL). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
