import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { type Checkpoint, type ResultEvent } from '../core/experiments/checkpoint.ts';
import type { ExperimentConfig } from '../core/experiments/config.ts';
import type { ExperimentResults } from '../core/experiments/results.ts';
import type { StoredRun, StoredRunSummary } from '../protocol/stored-runs.ts';

interface Schema extends DBSchema {
  runs: { key: string; value: StoredRun };
  checkpoints: { key: string; value: Checkpoint };
}

/** A storage operation that failed; the message says why in the user's terms. Nothing stored was changed. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
}

function explain(error: unknown, doing: string): StorageError {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  const detail = error instanceof Error ? error.message : String(error);
  if (name === 'QuotaExceededError')
    return new StorageError(
      `could not ${doing}: the browser's storage for this site is full (quota exceeded); delete stored runs or free disk space. What was stored before is intact.`,
    );
  if (name === 'InvalidStateError' || name === 'SecurityError' || name === 'UnknownError')
    return new StorageError(`could not ${doing}: this browser does not allow storage here (private browsing, or storage blocked for this site) — ${detail}`);
  return new StorageError(`could not ${doing}: ${detail}`);
}

/** Bytes of the typed arrays in a value (weights, masks), plus a rough count for the rest. */
export function storedBytes(value: unknown): number {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof Map) return [...value].reduce((n, [k, v]) => n + storedBytes(k) + storedBytes(v), 0);
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + storedBytes(v), 0);
  if (value !== null && typeof value === 'object') return Object.entries(value).reduce((n, [k, v]) => n + k.length + storedBytes(v), 0);
  return typeof value === 'string' ? value.length : 8;
}

/** A run's summary: the record without its result events and results file. */
function summaryOf(run: StoredRun): StoredRunSummary {
  const summary: { -readonly [K in keyof StoredRun]?: StoredRun[K] } = { ...run };
  delete summary.events;
  delete summary.results;
  return summary as StoredRunSummary;
}

const pairsIn = (events: readonly ResultEvent[]): number => events.filter((e) => e.type === 'pair').length;

/**
 * Runs kept in IndexedDB (through idb): each run's record (configuration, status, results so
 * far) and, apart, its latest checkpoint. A checkpoint and its run record are written in one
 * transaction, so a failed write (quota exceeded) leaves the previous checkpoint whole.
 */
export class RunStore {
  private constructor(private readonly db: IDBPDatabase<Schema>) {}

  /** Opens (creating if needed) the store `name` in this origin's IndexedDB. */
  static async open(name = 'lmc-lab-runs'): Promise<RunStore> {
    if (typeof indexedDB === 'undefined') throw new StorageError('could not open the run store: this browser offers no IndexedDB');
    try {
      return new RunStore(
        await openDB<Schema>(name, 1, {
          upgrade(db) {
            db.createObjectStore('runs', { keyPath: 'id' });
            db.createObjectStore('checkpoints');
          },
        }),
      );
    } catch (error) {
      throw explain(error, 'open the run store');
    }
  }

  private async write<T>(doing: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      throw explain(error, doing);
    }
  }

  /** Records a new run, status `running`. */
  create(id: string, config: ExperimentConfig, backend: string | null): Promise<void> {
    const now = new Date().toISOString();
    const run: StoredRun = {
      id,
      config,
      status: 'running',
      createdAt: now,
      updatedAt: now,
      fractionDone: 0,
      backend,
      checkpointBytes: 0,
      pairs: 0,
      events: [],
    };
    return this.write('record the new run', async () => void (await this.db.put('runs', run)));
  }

  /** Marks a stored run as running again (resumed), on `backend`. */
  async reopen(id: string, backend: string | null): Promise<void> {
    await this.update(id, 'mark the run as resumed', (run) => {
      const rest: { -readonly [K in keyof StoredRun]: StoredRun[K] } = { ...run };
      delete rest.error;
      return { ...rest, status: 'running', backend };
    });
  }

  /** Replaces the run's checkpoint and its results so far, in one transaction. */
  saveCheckpoint(id: string, checkpoint: Checkpoint, fractionDone: number): Promise<void> {
    return this.write('save a checkpoint', async () => {
      const tx = this.db.transaction(['runs', 'checkpoints'], 'readwrite');
      const run = await tx.objectStore('runs').get(id);
      if (!run) throw new Error(`run ${id} is not stored`);
      await tx.objectStore('checkpoints').put(checkpoint, id);
      await tx.objectStore('runs').put({
        ...run,
        events: checkpoint.events,
        pairs: pairsIn(checkpoint.events),
        fractionDone,
        checkpointBytes: storedBytes(checkpoint),
        updatedAt: new Date().toISOString(),
      });
      await tx.done;
    });
  }

  /** Marks the run done with its results and drops its checkpoint. */
  finish(id: string, results: ExperimentResults): Promise<void> {
    return this.write('save the finished run', async () => {
      const tx = this.db.transaction(['runs', 'checkpoints'], 'readwrite');
      const run = await tx.objectStore('runs').get(id);
      if (!run) throw new Error(`run ${id} is not stored`);
      await tx.objectStore('checkpoints').delete(id);
      const events: ResultEvent[] = [];
      await tx.objectStore('runs').put({
        ...run,
        status: 'done',
        results,
        events,
        pairs: results.pairs.length,
        fractionDone: 1,
        checkpointBytes: 0,
        updatedAt: new Date().toISOString(),
      });
      await tx.done;
    });
  }

  /** Marks the run stopped (cancelled or failed); its checkpoint stays, so it can be resumed. */
  stop(id: string, status: 'cancelled' | 'failed', error?: string): Promise<void> {
    return this.update(id, 'record that the run stopped', (run) => ({ ...run, status, ...(error === undefined ? {} : { error }) }));
  }

  private update(id: string, doing: string, change: (run: StoredRun) => StoredRun): Promise<void> {
    return this.write(doing, async () => {
      const tx = this.db.transaction('runs', 'readwrite');
      const run = await tx.store.get(id);
      if (!run) throw new Error(`run ${id} is not stored`);
      await tx.store.put({ ...change(run), updatedAt: new Date().toISOString() });
      await tx.done;
    });
  }

  /** Every stored run, newest first, without results or checkpoints. */
  async list(): Promise<StoredRunSummary[]> {
    const runs = await this.write('list the stored runs', () => this.db.getAll('runs'));
    return runs.map(summaryOf).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** A stored run whole, or undefined. */
  get(id: string): Promise<StoredRun | undefined> {
    return this.write('read the stored run', () => this.db.get('runs', id));
  }

  /** The run's latest checkpoint, or undefined. */
  checkpoint(id: string): Promise<Checkpoint | undefined> {
    return this.write('read the checkpoint', () => this.db.get('checkpoints', id));
  }

  /** Deletes a run and its checkpoint. */
  delete(id: string): Promise<void> {
    return this.write('delete the run', async () => {
      const tx = this.db.transaction(['runs', 'checkpoints'], 'readwrite');
      await tx.objectStore('runs').delete(id);
      await tx.objectStore('checkpoints').delete(id);
      await tx.done;
    });
  }

  close(): void {
    this.db.close();
  }
}
