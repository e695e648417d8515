import { DataFormatError } from '../core/data/idx.ts';
import { MNIST_FILES, type Mnist, type MnistFileBytes, parseMnist, verifyMnist } from '../core/data/mnist.ts';

/** Fetches the four MNIST IDX files from `baseUrl` (the app's `data/mnist/`), checks the official MD5s and parses them. */
export async function fetchMnist(baseUrl: string): Promise<Mnist> {
  const entries = await Promise.all(
    Object.entries(MNIST_FILES).map(async ([key, file]) => {
      const url = new URL(file, baseUrl).href;
      let response: Response;
      try {
        response = await fetch(url);
      } catch (error) {
        throw new DataFormatError(file, `could not be downloaded from ${url} (${(error as Error).message})`);
      }
      if (!response.ok)
        throw new DataFormatError(file, `the server answered ${response.status} ${response.statusText} for ${url}; run \`npm run prepare-data\``);
      return [key, new Uint8Array(await response.arrayBuffer())] as const;
    }),
  );
  const files = Object.fromEntries(entries) as MnistFileBytes;
  const mnist = parseMnist(files);
  verifyMnist(files, (file) => new URL(file, baseUrl).href);
  return mnist;
}
