import react from '@vitejs/plugin-react';
import { type Plugin, defineConfig } from 'vite';
import { CSP_META, SECURITY_HEADERS } from './src/build/security-headers.ts';

// Cross-origin isolation (COOP + COEP) so workers get precise timers and SharedArrayBuffer.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Puts the Content-Security-Policy in the built index.html too, for hosts that cannot send headers. */
function cspMeta(): Plugin {
  return {
    name: 'lmc-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP_META }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  base: './',
  plugins: [react(), cspMeta()],
  worker: { format: 'es' },
  // The dev server injects inline scripts (React refresh), so the policy applies to the build only.
  server: { headers: isolation },
  preview: { headers: { ...isolation, ...SECURITY_HEADERS } },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
