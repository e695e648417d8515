import { TooLargeError, inflate } from '../data/archive.ts';
import { MAX_RESULTS_CHARS, parseResultsFile } from './results-file.ts';
import type { ExperimentResults } from './results.ts';

/** The longest results link fragment the app offers (links this long still open everywhere it was tried). */
export const MAX_RESULTS_LINK_CHARS = 32_000;

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw')));
  return new Uint8Array(await out.arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('the results in the link are not base64url text (was the link cut or edited?)');
  // Base64 never leaves one character over: a length of 4n + 1 is text cut short.
  if (text.length % 4 === 1) throw new Error('the results in the link cannot be unpacked (its text stops mid-character); was the link cut short?');
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/**
 * A finished run's results as a link fragment value: the results file's JSON, deflated and
 * base64url-encoded, so that a small run travels inside the link itself. Null when it would
 * be longer than {@link MAX_RESULTS_LINK_CHARS} (export the JSON instead).
 */
export async function encodeResultsForLink(results: ExperimentResults): Promise<string | null> {
  const encoded = toBase64Url(await deflate(new TextEncoder().encode(JSON.stringify(results))));
  return encoded.length <= MAX_RESULTS_LINK_CHARS ? encoded : null;
}

/** The results a link carries (unpacked to at most {@link MAX_RESULTS_CHARS} bytes), validated like an imported file; throws with what was wrong. */
export async function decodeResultsFromLink(encoded: string): Promise<ExperimentResults> {
  const bytes = fromBase64Url(encoded);
  let text: string;
  try {
    text = new TextDecoder().decode(await inflate(bytes, 'deflate-raw', 'the results in the link', MAX_RESULTS_CHARS));
  } catch (error) {
    if (error instanceof TooLargeError) throw error;
    throw new Error(`the results in the link cannot be unpacked (${(error as Error).message}); was the link cut short?`, { cause: error });
  }
  return parseResultsFile(text, 'the link');
}
