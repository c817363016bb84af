/**
 * npm run mutation: the suite against the clean mock and against each fault mode; prints the
 * detection matrix (fault × check that caught it) and writes reports/mutation.json.
 *   npm run mutation -- [--fault NAME …] [--parallel N] [--out FILE]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { REGISTRY } from '../src/checks/registry.js';
import { mutationMatrix } from '../src/mutation/matrix.js';

const { values } = parseArgs({
  options: {
    fault: { type: 'string', multiple: true },
    parallel: { type: 'string', default: '2' },
    out: { type: 'string', default: 'reports/mutation.json' },
  },
});
const started = performance.now();
const matrix = await mutationMatrix({ faults: values.fault, parallel: Number(values.parallel) });

const checks = REGISTRY.all
  .map((c) => c.name)
  .filter((name) => matrix.faults.some((f) => f.caughtBy.includes(name) || f.expectedCheck === name));
const width = Math.max(...matrix.faults.map((f) => f.fault.length));
const header = `${'fault'.padEnd(width)}  ${checks.map((_, i) => String.fromCharCode(65 + i)).join(' ')}  result`;
console.log(`\nDetection matrix: X = the check that must catch the fault caught it, x = another check caught it too, ! = missed\n`);
console.log(checks.map((c, i) => `  ${String.fromCharCode(65 + i)} ${c}`).join('\n'));
console.log(`\n${header}`);
for (const f of matrix.faults) {
  const cells = checks.map((c) => (c === f.expectedCheck ? (f.caughtBy.includes(c) ? 'X' : '!') : f.caughtBy.includes(c) ? 'x' : '·'));
  console.log(`${f.fault.padEnd(width)}  ${cells.join(' ')}  ${f.detected ? 'detected' : `MISSED (expected ${f.expectedCheck})`}`);
}
console.log(`\nfaults detected by the expected check: ${matrix.totals.detected}/${matrix.totals.faults}`);
console.log(
  `false alarms on the clean mock: ${matrix.totals.falseAlarms}${matrix.cleanRun.falseAlarms.map((a) => `\n  ${a.check} › ${a.operation}: ${a.message}`).join('')}`,
);
console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(matrix, null, 2)}\n`);
console.log(`wrote ${values.out}`);
process.exitCode = matrix.totals.detected === matrix.totals.faults && matrix.totals.falseAlarms === 0 ? 0 : 1;
