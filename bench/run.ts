/**
 * Benchmarks print figures; they never assert timings (machines here are shared and noisy).
 *   npm run bench                 every benchmark
 *   npm run bench -- NAME [args]  one of them (validation, full-run, scale, mock-load, startup)
 */
import { mockLoad } from './mock-load.js';
import { validation } from './validation.js';
import { fullRun } from './full-run.js';
import { scale } from './scale.js';
import { startup } from './startup.js';

const benchmarks: Record<string, (args: string[]) => Promise<void>> = {
  validation,
  'full-run': fullRun,
  scale,
  'mock-load': mockLoad,
  startup,
};

const [name, ...args] = process.argv.slice(2);
if (name && !benchmarks[name]) {
  console.error(`unknown benchmark "${name}"; known: ${Object.keys(benchmarks).join(', ')}`);
  process.exit(2);
}
for (const [key, run] of Object.entries(benchmarks)) {
  if (!name || name === key) await run(args);
}
