/** The sequencer's list of slow files names files that exist: a renamed one would silently start late again. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { SLOWEST_FILES } from '../slowest-first-sequencer.js';

test('every file the sequencer starts first exists, once', () => {
  const root = resolve(import.meta.dirname, '../..');
  expect(SLOWEST_FILES.filter((file) => !existsSync(resolve(root, file)))).toEqual([]);
  expect(new Set(SLOWEST_FILES).size).toBe(SLOWEST_FILES.length);
});
