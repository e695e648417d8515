import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { parseResultsFile } from '../src/core/experiments/results-file.ts';
import { MAX_RESULTS_CHARS } from '../src/core/experiments/results-file.ts';
import { MAX_RESULTS_LINK_CHARS, decodeResultsFromLink, encodeResultsForLink } from '../src/core/experiments/results-link.ts';

async function demo(name: string) {
  return parseResultsFile(await readFile(`public/demos/${name}.json`, 'utf8'), name);
}

describe('results inside a link', () => {
  test('a small run round-trips through the link exactly, in a fragment of base64url text', async () => {
    const results = await demo('lenet-dense');
    const encoded = await encodeResultsForLink(results);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(encoded!.length).toBeLessThan(MAX_RESULTS_LINK_CHARS);
    expect(await decodeResultsFromLink(encoded!)).toEqual(results);
  });

  test('a run too large for a link is refused (null), so the app offers the JSON instead', async () => {
    const results = await demo('lenet-dense');
    const many = {
      ...results,
      pairs: Array.from({ length: 400 }, (_, i) => ({ ...results.pairs[0]!, pair: i, testErrors: results.pairs[0]!.testErrors.map((e) => e + Math.random()) })),
    };
    expect(await encodeResultsForLink(many)).toBeNull();
  });

  test('a cut, edited or foreign link says what is wrong', async () => {
    const encoded = (await encodeResultsForLink(await demo('lenet-dense')))!;
    // Cut anywhere: at every remainder of its length modulo 4 (4n + 1 is no base64 at all).
    const half = 4 * Math.floor(encoded.length / 8);
    for (const cut of [half, half + 1, half + 2, half + 3]) {
      await expect(decodeResultsFromLink(encoded.slice(0, cut))).rejects.toThrow(
        /^the results in the link cannot be unpacked \(.+\); was the link cut short\?$/,
      );
    }
    await expect(decodeResultsFromLink('abc$%')).rejects.toThrow('the results in the link are not base64url text (was the link cut or edited?)');
    const other = Buffer.from(
      await new Response(new Blob([JSON.stringify({ format: 'something-else' })]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer(),
    ).toString('base64url');
    await expect(decodeResultsFromLink(other)).rejects.toThrow(/^the link/);
  });

  test('a link whose results unpack past 50 MB is refused as it unpacks (a deflate bomb)', async () => {
    const bomb = Buffer.from(
      await new Response(new Blob([new Uint8Array(MAX_RESULTS_CHARS + 1_000_000)]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer(),
    ).toString('base64url');
    await expect(decodeResultsFromLink(bomb)).rejects.toThrow('the results in the link: unpacks to more than 50 MB');
  });
});
