/**
 * The order test files start in. Vitest starts the files it has no timings for largest first,
 * and CI always starts without timings: the detection matrix, a small file that runs for about
 * 100 s, started among the last and ran on alone at the end. The files that take longest
 * (measured in CI runs) start first; the rest keep vitest's order.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Slowest first, by their duration in a CI run of this repository. */
export const SLOWEST_FILES = [
  'test/mutation/detection.test.ts',
  'test/package/package.test.ts',
  'test/robustness/hostile-targets.test.ts',
  'test/cli/run-command.test.ts',
  'test/spec/generate.test.ts',
  'test/robustness/mock-fuzz.test.ts',
  'test/robustness/secrets.test.ts',
  'test/robustness/bounded-reads.test.ts',
  'test/vitest/adapter.test.ts',
  'test/prism/prism.test.ts',
];

export class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = SLOWEST_FILES.indexOf(relative(this.ctx.config.root, file.moduleId).split('\\').join('/'));
      return index < 0 ? SLOWEST_FILES.length : index;
    };
    return sorted
      .map((file, order) => ({ file, order }))
      .sort((a, b) => rank(a.file) - rank(b.file) || a.order - b.order)
      .map((x) => x.file);
  }
}
