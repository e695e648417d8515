import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The rooms of src/ and which others each may import. A rule matches a room's name as a path
 * segment, so it holds at any depth ('../../ui/store.ts' from src/core/a/b/ is caught too).
 */
const ROOMS = ['core', 'protocol', 'parallel', 'storage', 'worker', 'ui', 'node', 'cli', 'build'];
const MAY_IMPORT = {
  core: [],
  protocol: ['core'],
  parallel: ['core', 'protocol'],
  storage: ['core', 'protocol'],
  worker: ['core', 'protocol', 'parallel', 'storage'],
  ui: ['core', 'protocol'],
  node: ['core', 'protocol', 'parallel'],
  cli: ['core', 'protocol', 'node'],
  build: [],
};

/** Packages the core may use: it runs unchanged in Node and in the worker. */
const CORE_PACKAGES = ['@tensorflow/tfjs', 'zod', '@noble/hashes/legacy.js', '@noble/hashes/utils.js'];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function roomRules(room) {
  const forbidden = ROOMS.filter((r) => r !== room && !MAY_IMPORT[room].includes(r));
  const patterns = [
    {
      regex: `(^|/)(${forbidden.join('|')})(/|$)`,
      message: `src/${room} may import only ${[room, ...MAY_IMPORT[room]].map((r) => `src/${r}`).join(', ')} (see the rooms in eslint.config.js and the README's layout).`,
    },
  ];
  if (room === 'core') {
    patterns.push({
      regex: `^(?![./])(?!(${CORE_PACKAGES.map(escape).join('|')})$)`,
      message: `the core imports only ${CORE_PACKAGES.join(', ')}: it runs unchanged in Node and in the worker.`,
    });
  }
  return { files: [`src/${room}/**/*.{ts,tsx}`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'public', 'test-results', '.device', '.gl', '.whl'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  ...ROOMS.map(roomRules),
  {
    // The core runs in Node and in the worker: no page, no worker messaging, no browser storage or network.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'self',
          'navigator',
          'location',
          'postMessage',
          'importScripts',
          'indexedDB',
          'localStorage',
          'sessionStorage',
          'fetch',
          'XMLHttpRequest',
          'Worker',
          'process',
          'Buffer',
          'require',
          '__dirname',
        ].map((name) => ({
          name,
          message: 'the core runs in Node and in the worker: pass what it needs in from src/worker or src/node.',
        })),
      ],
    },
  },
);
