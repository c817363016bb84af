/**
 * enum-coverage: records every value seen at every documented enum of the operation's
 * responses. Values outside an enum are response-schema failures; low coverage fails this
 * check only when --min-enum-coverage asks for it.
 */
import { manifest } from '../spec/manifest.js';
import type { Check } from './types.js';
import { mediaType, presentValuesAt } from './util.js';

export interface EnumObservation {
  pointer: string;
  status: string;
  values: (string | number)[];
  observed: (string | number)[];
}

export const enumCoverage: Check = {
  name: 'enum-coverage',
  title: 'Documented enum values observed in responses (a gate only with --min-enum-coverage)',
  severity: 'error',
  appliesTo: (op) =>
    manifest.enums.some((e) => e.scope.kind === 'response' && e.scope.operationId === op.operationId) ? true : 'no enum in the responses',
  start(ctx) {
    const enums = manifest.enums.filter((e) => e.scope.kind === 'response' && e.scope.operationId === ctx.operation.operationId);
    const observed = new Map(enums.map((e) => [e, new Set<string | number>()]));
    return {
      observe(result) {
        if (result.status === undefined || result.json === undefined || result.probe.foreign) return;
        const status = String(result.status);
        const contentType = mediaType(result.headers['content-type']);
        for (const e of enums) {
          if (e.scope.kind !== 'response' || e.scope.status !== status || e.scope.contentType !== contentType) continue;
          for (const value of presentValuesAt(result.json, e.pointer))
            if (e.values.includes(value as string)) observed.get(e)!.add(value as string);
        }
      },
      conclude() {
        const report: EnumObservation[] = enums.map((e) => ({
          pointer: e.pointer,
          status: e.scope.kind === 'response' ? e.scope.status : '',
          values: e.values,
          observed: e.values.filter((v) => observed.get(e)!.has(v)),
        }));
        const total = report.reduce((n, r) => n + r.values.length, 0);
        const seen = report.reduce((n, r) => n + r.observed.length, 0);
        const percent = total === 0 ? 100 : (seen / total) * 100;
        ctx.stat('enums', report);
        ctx.stat('coverage', { observed: seen, total, percent: Math.round(percent * 10) / 10 });
        if (ctx.env.minEnumCoverage > 0 && percent < ctx.env.minEnumCoverage) {
          const missing = report.flatMap((r) => r.values.filter((v) => !r.observed.includes(v)).map((v) => `${r.pointer}=${v}`));
          ctx.fail({
            message: `only ${seen} of ${total} documented enum values were observed`,
            received: `${percent.toFixed(1)}% (missing ${missing.slice(0, 6).join(', ')}${missing.length > 6 ? ', …' : ''})`,
            expected: `at least ${ctx.env.minEnumCoverage}% (--min-enum-coverage)`,
          });
        }
      },
    };
  },
};
