/**
 * Validation throughput on the largest documented payloads: a valuation history page of 1,000
 * items with 20 positions each, and an orders page of 1,000. The generated standalone
 * validators against ajv compiling the same schemas at run time, and against JSON.parse of the
 * same bytes alone (the floor).
 *   npm run bench -- validation [--seconds 2]
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { generateInstance, type Schema } from '../src/data/instance-generator.js';
import { World } from '../src/mock/data.js';
import { storedSchema } from '../src/spec/manifest.js';
import { bodyValidator, validateBody } from '../src/spec/validate.js';
import { fmt, table } from './stats.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof addFormatsModule.default;

function rate(seconds: number, work: () => void): number {
  // Warm up, then count whole iterations for about `seconds`.
  for (let i = 0; i < 3; i++) work();
  let n = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  while (performance.now() < until) {
    work();
    n++;
  }
  return n / ((performance.now() - started) / 1000);
}

export async function validation(args: string[]): Promise<void> {
  const seconds = Number(args[args.indexOf('--seconds') + 1]) || 2;
  const world = new World({ seed: 1, start: Date.UTC(2025, 0, 1), valuationDays: 2000, positionsPerValuation: 20 }, 'bench');
  const history = {
    meta: { offset: 0, limit: 1000, count: 1000, total_count: 2000, sort: 'valuation_time', order: 'ASC' },
    data: Array.from({ length: 1000 }, (_, i) => world.valuation(world.accounts[0], world.firstDay + i)),
  };
  const ordersValidator = 'response_listPortfolioRebalancingExecutionOrders_200_json';
  const orders = generateInstance(storedSchema(ordersValidator) as Schema, { seed: 3, choices: { '/data': { length: 1000 } } });
  const payloads = [
    { name: 'valuations page (1,000 × 20 positions)', validator: 'response_listAccountValuations_200_json', text: JSON.stringify(history) },
    { name: 'orders page (1,000)', validator: ordersValidator, text: JSON.stringify(orders) },
  ];
  const rows: (string | number)[][] = [['payload', 'MB', 'method', 'responses/s', 'MB/s', '× floor']];
  for (const p of payloads) {
    const mb = Buffer.byteLength(p.text) / 1e6;
    if (!validateBody(p.validator, JSON.parse(p.text)).valid) throw new Error(`${p.name} does not validate`);
    const compileStarted = performance.now();
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
    addFormats(ajv);
    const runtime: ValidateFunction = ajv.compile(storedSchema(p.validator) as object);
    const compileMs = performance.now() - compileStarted;
    const standalone = bodyValidator(p.validator);
    const floor = rate(seconds, () => JSON.parse(p.text));
    const measured: [string, number][] = [
      ['JSON.parse only (floor)', floor],
      ['parse + generated standalone validator', rate(seconds, () => standalone(JSON.parse(p.text)))],
      [
        'parse + standalone, open and closed twin (what the suite does)',
        rate(seconds, () => validateBody(p.validator, JSON.parse(p.text))),
      ],
      [`parse + ajv compiled at run time (compile ${fmt(compileMs, 0)} ms, once)`, rate(seconds, () => runtime(JSON.parse(p.text)))],
    ];
    for (const [method, r] of measured) rows.push([p.name, fmt(mb, 2), method, fmt(r, 1), fmt(r * mb, 1), fmt(floor / r, 2)]);
  }
  console.log(`\nvalidation: ${seconds} s per figure, Node ${process.version}\n`);
  console.log(table(rows));
}
