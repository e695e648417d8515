import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFormatError } from '../core/data/idx.ts';

/** Reads `names` from `dir` into a name → bytes map; a missing file is reported by name with `hint`. */
export async function readNamedFiles(dir: string, names: readonly string[], hint: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const name of names) {
    try {
      out.set(name, new Uint8Array(await readFile(join(dir, name))));
    } catch (error) {
      throw new DataFormatError(join(dir, name), `cannot be read (${(error as Error).message}); ${hint}`);
    }
  }
  return out;
}

/** Throws {@link DataFormatError} for the first file whose MD5 differs from `digests[name]`. */
export function checkDigests(files: ReadonlyMap<string, Uint8Array>, digests: Readonly<Record<string, string>>, dir: string): void {
  for (const [name, expected] of Object.entries(digests)) {
    const digest = createHash('md5').update(files.get(name) ?? new Uint8Array()).digest('hex');
    if (digest !== expected) throw new DataFormatError(join(dir, name), `MD5 ${digest} differs from the official ${expected}`);
  }
}
