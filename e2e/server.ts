import { createServer } from 'node:net';
import { type PreviewServer, preview } from 'vite';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Serves the production build (`dist/`) on a free loopback port; close it when done. */
export async function startPreview(): Promise<{ url: string; close: () => Promise<void> }> {
  const port = await freePort();
  const server: PreviewServer = await preview({ preview: { port, host: '127.0.0.1', strictPort: true }, logLevel: 'warn' });
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}
