/**
 * The production build's Content-Security-Policy: scripts, workers and styles only from the
 * app's own origin; WebAssembly compiled for the wasm backend (`wasm-unsafe-eval`, no other
 * eval); connections to the app itself and to the CIFAR-10 URLs a user may give (any https
 * host, plain http only on this computer); images only as the chart exports make them.
 */
const DIRECTIVES: readonly (readonly [string, string])[] = [
  ['default-src', "'self'"],
  ['script-src', "'self' 'wasm-unsafe-eval'"],
  ['worker-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self' data: blob:"],
  ['font-src', "'self'"],
  ['connect-src', "'self' https: http://localhost:* http://127.0.0.1:*"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
];

/** The policy for a `<meta http-equiv>` tag (static hosts that cannot set headers; frame-ancestors has no effect there). */
export const CSP_META = DIRECTIVES.map(([name, value]) => `${name} ${value}`).join('; ');

/** The policy as a response header, which also forbids framing the app in another site. */
export const CSP_HEADER = `${CSP_META}; frame-ancestors 'none'`;

/** Headers the preview server sends with every response of the production build. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP_HEADER,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
