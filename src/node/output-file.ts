import { constants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** Thrown when an output file cannot be written; the message names the path and the reason. */
export class OutputFileError extends Error {
  override readonly name = 'OutputFileError';
}

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message}` : String(e.message ?? error);
}

/**
 * Checks, before any work is done, that `path` can be written: it is not a directory, and it
 * is writable if it exists or its folder is writable if not. Throws {@link OutputFileError}.
 */
export async function checkOutputPath(path: string): Promise<void> {
  const full = resolve(path);
  const existing = await stat(full).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw new OutputFileError(`cannot write the results to ${path} (${reason(error)})`);
  });
  if (existing?.isDirectory()) throw new OutputFileError(`cannot write the results to ${path}: it is a directory; name a file`);
  const target = existing ? full : dirname(full);
  if (!existing) {
    const folder = await stat(target).catch((error: unknown) => {
      throw new OutputFileError(`cannot write the results to ${path}: its folder ${target} does not exist (${reason(error)})`);
    });
    if (!folder.isDirectory()) throw new OutputFileError(`cannot write the results to ${path}: ${target} is not a folder`);
  }
  await access(target, constants.W_OK).catch((error: unknown) => {
    throw new OutputFileError(`cannot write the results to ${path} (${reason(error)})`);
  });
}

/**
 * Writes `text` to `path`. When that fails (a full disk, an I/O error), the text is written to a
 * file in the system's temporary folder instead, so a long run's results are never lost, and
 * the error names both paths. Returns the path written.
 */
export async function writeOutputFile(path: string, text: string, fallbackDir: string = tmpdir()): Promise<string> {
  try {
    await writeFile(path, text);
    return path;
  } catch (error) {
    const fallback = join(fallbackDir, `lmc-lab-results-${Date.now()}.json`);
    const saved = await writeFile(fallback, text).then(
      () => `; the results were saved to ${fallback} instead`,
      (second: unknown) => `; saving them to ${fallback} failed too (${reason(second)})`,
    );
    throw new OutputFileError(`cannot write the results to ${path} (${reason(error)})${saved}`);
  }
}
