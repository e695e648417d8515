/**
 * The one-time CIFAR-10 cache: the six official binary files in IndexedDB, so that a dataset
 * loaded once from a file or URL is there after a reload. Errors (quota, private mode) are
 * reported with what to do; a failed write leaves the previous cache untouched.
 */
const DB = 'lmc-lab';
const STORE = 'datasets';
const KEY = 'cifar10-binary';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(new Error(`IndexedDB is unavailable (${request.error?.message ?? 'unknown error'}); CIFAR-10 will not be cached`));
  });
}

function run<T>(mode: IDBTransactionMode, body: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const request = body(tx.objectStore(STORE));
        tx.oncomplete = () => {
          db.close();
          resolve(request.result);
        };
        tx.onerror = tx.onabort = () => {
          db.close();
          const e = tx.error ?? request.error;
          reject(
            new Error(
              e?.name === 'QuotaExceededError'
                ? 'the browser refused to store CIFAR-10 (storage quota exceeded); it stays loaded until the page closes'
                : `IndexedDB error: ${e?.message ?? 'unknown'}`,
            ),
          );
        };
      }),
  );
}

/** The cached files (name → bytes), or null when nothing is cached. */
export async function readCachedCifar(): Promise<Map<string, Uint8Array> | null> {
  const value = await run<unknown>('readonly', (s) => s.get(KEY));
  if (!value || typeof value !== 'object') return null;
  return new Map(Object.entries(value as Record<string, ArrayBuffer>).map(([k, v]) => [k, new Uint8Array(v)]));
}

/** Stores the six files, replacing any earlier cache in one transaction. */
export async function writeCachedCifar(files: ReadonlyMap<string, Uint8Array>): Promise<void> {
  const record: Record<string, ArrayBuffer> = {};
  for (const [k, v] of files) record[k] = v.slice().buffer;
  await run('readwrite', (s) => s.put(record, KEY));
}

/** Removes the cached dataset. */
export async function clearCachedCifar(): Promise<void> {
  await run('readwrite', (s) => s.delete(KEY));
}
