import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';

const eslint = new ESLint();

/** The rule ids ESLint reports for `code` placed at `filePath`. */
async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('the rooms of src/ are fenced by the linter, at any depth', () => {
  test('a core file deep in the tree that reaches into the UI, the worker, storage or a browser-only package fails', async () => {
    const deep = 'src/core/experiments/deeper/still/bad.ts';
    expect(await violations(deep, "import { useAppStore } from '../../../../ui/store.ts';\nexport const s = useAppStore;\n")).toEqual([
      'no-restricted-imports',
    ]);
    expect(await violations(deep, "import { RunStore } from '../../../../storage/run-store.ts';\nexport const s = RunStore;\n")).toEqual([
      'no-restricted-imports',
    ]);
    expect(await violations(deep, "import { post } from '../../../../worker/experiment.worker.ts';\nexport const p = post;\n")).toEqual([
      'no-restricted-imports',
    ]);
    expect(await violations(deep, "import { openDB } from 'idb';\nexport const o = openDB;\n")).toEqual(['no-restricted-imports']);
    expect(await violations(deep, "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n")).toEqual(['no-restricted-imports']);
    expect(await violations(deep, 'export const send = (x: unknown): void => postMessage(x);\nexport const db = indexedDB;\n')).toEqual([
      'no-restricted-globals',
      'no-restricted-globals',
    ]);
  });

  test('the UI never imports the worker, the copy workers or storage; protocol imports only the core', async () => {
    expect(await violations('src/ui/panels/Bad.tsx', "import { chooseBackend } from '../../worker/backend.ts';\nexport const c = chooseBackend;\n")).toEqual([
      'no-restricted-imports',
    ]);
    expect(await violations('src/ui/Bad.tsx', "import { RunStore } from '../storage/run-store.ts';\nexport const c = RunStore;\n")).toEqual([
      'no-restricted-imports',
    ]);
    expect(await violations('src/ui/Bad.tsx', "import { CopyWorkerPool } from '../parallel/copy-pool.ts';\nexport const c = CopyWorkerPool;\n")).toEqual([
      'no-restricted-imports',
    ]);
    expect(await violations('src/protocol/bad.ts', "import { RunStore } from '../storage/run-store.ts';\nexport const c = RunStore;\n")).toEqual([
      'no-restricted-imports',
    ]);
  });

  test('the imports each room is allowed pass', async () => {
    expect(
      await violations(
        'src/core/experiments/deeper/ok.ts',
        "import * as tf from '@tensorflow/tfjs';\nimport { z } from 'zod';\nimport { pairId } from '../results.ts';\nexport const all = [tf, z, pairId];\n",
      ),
    ).toEqual([]);
    expect(
      await violations(
        'src/ui/Ok.tsx',
        "import type { WorkerEvent } from '../protocol/messages.ts';\nimport { pairId } from '../core/experiments/results.ts';\nexport const all: [WorkerEvent | null, unknown] = [null, pairId];\n",
      ),
    ).toEqual([]);
    expect(await violations('src/worker/ok.ts', "import { RunStore } from '../storage/run-store.ts';\nexport const s = RunStore;\n")).toEqual([]);
  });
});
