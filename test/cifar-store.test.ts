import 'fake-indexeddb/auto';
import { describe, expect, test } from 'vitest';
import { clearCachedCifar, readCachedCifar, writeCachedCifar } from '../src/storage/cifar-store.ts';

describe('the CIFAR-10 cache (IndexedDB through idb, fake-indexeddb here)', () => {
  test('stores, reads back and forgets the files; a full quota says so and keeps the earlier copy', async () => {
    expect(await readCachedCifar()).toBeNull();
    const files = new Map([
      ['data_batch_1.bin', new Uint8Array([1, 2, 3])],
      ['test_batch.bin', new Uint8Array([9])],
    ]);
    await writeCachedCifar(files);
    expect(await readCachedCifar()).toEqual(files);
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('quota', 'QuotaExceededError');
    };
    try {
      await expect(writeCachedCifar(new Map([['data_batch_1.bin', new Uint8Array([7])]]))).rejects.toThrow(
        'the browser refused to store CIFAR-10 (storage quota exceeded); it stays loaded until the page closes',
      );
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    expect(await readCachedCifar()).toEqual(files);
    await clearCachedCifar();
    expect(await readCachedCifar()).toBeNull();
  });
});
