/**
 * The one-time CIFAR-10 cache: the six official binary files in IndexedDB (through idb, as the
 * run store), so that a dataset loaded once from a file or URL is there after a reload. Errors
 * (quota, private mode) are reported with what to do; a failed write leaves the previous cache
 * untouched. What is read back is checked against the official MD5s by its caller.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';

const DB = 'lmc-lab';
const STORE = 'datasets';
const KEY = 'cifar10-binary';

interface Schema extends DBSchema {
  datasets: { key: string; value: Record<string, ArrayBuffer> };
}

async function open(): Promise<IDBPDatabase<Schema>> {
  if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is unavailable; CIFAR-10 will not be cached');
  try {
    return await openDB<Schema>(DB, 1, { upgrade: (db) => void db.createObjectStore(STORE) });
  } catch (error) {
    throw new Error(`IndexedDB is unavailable (${(error as Error).message}); CIFAR-10 will not be cached`, { cause: error });
  }
}

/** Runs `body` on the open database, closing it after and explaining a failure in the user's terms. */
async function withDb<T>(body: (db: IDBPDatabase<Schema>) => Promise<T>): Promise<T> {
  const db = await open();
  try {
    return await body(db);
  } catch (error) {
    const e = error as DOMException;
    throw new Error(
      e?.name === 'QuotaExceededError'
        ? 'the browser refused to store CIFAR-10 (storage quota exceeded); it stays loaded until the page closes'
        : `IndexedDB error: ${e?.message ?? 'unknown'}`,
      { cause: error },
    );
  } finally {
    db.close();
  }
}

/** The cached files (name → bytes), or null when nothing is cached. */
export async function readCachedCifar(): Promise<Map<string, Uint8Array> | null> {
  const value = await withDb((db) => db.get(STORE, KEY));
  if (!value || typeof value !== 'object') return null;
  return new Map(Object.entries(value).map(([k, v]) => [k, new Uint8Array(v)]));
}

/** Stores the six files, replacing any earlier cache in one transaction. */
export async function writeCachedCifar(files: ReadonlyMap<string, Uint8Array>): Promise<void> {
  const record: Record<string, ArrayBuffer> = {};
  for (const [k, v] of files) record[k] = v.slice().buffer;
  await withDb((db) => db.put(STORE, record, KEY));
}

/** Removes the cached dataset. */
export async function clearCachedCifar(): Promise<void> {
  await withDb((db) => db.delete(STORE, KEY));
}
