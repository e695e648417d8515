import { md5 } from '@noble/hashes/legacy.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { DataFormatError } from './idx.ts';

/** A function giving the lowercase hex MD5 of some bytes. */
export type Md5Hex = (bytes: Uint8Array) => string;

/** MD5 in plain JavaScript (@noble/hashes), for the browser, where WebCrypto has no MD5. */
export const md5Hex: Md5Hex = (bytes) => bytesToHex(md5(bytes));

/**
 * Throws {@link DataFormatError} for the first file whose MD5 differs from `digests[name]`
 * (a missing file counts as empty). `label(name)` names the file as the user knows it (a path,
 * a URL); `hash` lets Node use its native MD5.
 */
export function checkDigests(
  files: ReadonlyMap<string, Uint8Array>,
  digests: Readonly<Record<string, string>>,
  label: (name: string) => string,
  hash: Md5Hex = md5Hex,
): void {
  for (const [name, expected] of Object.entries(digests)) {
    const digest = hash(files.get(name) ?? new Uint8Array());
    if (digest !== expected)
      throw new DataFormatError(
        label(name),
        `MD5 ${digest} differs from the official ${expected}: not the official file (modified, truncated or corrupt), so it is not used`,
      );
  }
}
