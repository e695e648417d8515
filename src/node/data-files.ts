import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Md5Hex } from '../core/data/digest.ts';
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

/** Node's native MD5 (several times faster than the plain JavaScript one the browser uses). */
export const nodeMd5Hex: Md5Hex = (bytes) => createHash('md5').update(bytes).digest('hex');
