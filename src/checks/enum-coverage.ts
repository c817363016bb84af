/**
 * enum-coverage: records every value seen at every documented enum of the operation's
 * responses. Values outside an enum are response-schema failures; low coverage fails this
 * check only when --min-enum-coverage asks for it.
 */
import type { ManifestEnum } from '../spec/manifest-types.js';
import { documented } from './basis.js';
import { coveragePercent, EnumTally } from './enum-tally.js';
import type { Check } from './types.js';
import { mediaType } from './util.js';

const responseEnumsOf = (enums: readonly ManifestEnum[], operationId: string) =>
  enums.filter((e) => e.scope.kind === 'response' && e.scope.operationId === operationId);

export const enumCoverage: Check = {
  name: 'enum-coverage',
  title: 'Documented enum values observed in responses (a gate only with --min-enum-coverage)',
  severity: 'error',
  scope: 'operation',
  observes: ['documented', 'variant', 'replay'],
  appliesTo: ({ operation, spec }) =>
    responseEnumsOf(spec.manifest.enums, operation.operationId).length > 0 ? true : 'no enum in the responses',
  start(ctx) {
    const scopeOf = (e: ManifestEnum) => `${ctx.operation.key} ${e.scope.kind === 'response' ? e.scope.status : ''}`;
    const tally = new EnumTally(responseEnumsOf(ctx.spec.manifest.enums, ctx.operation.operationId), scopeOf);
    return {
      observe(result) {
        if (result.status === undefined || result.json === undefined) return;
        const status = String(result.status);
        const contentType = mediaType(result.headers['content-type']);
        tally.observe(result.json, (e) => e.scope.kind === 'response' && e.scope.status === status && e.scope.contentType === contentType);
      },
      conclude() {
        const observations = tally.observations();
        const { observed, total, percent } = coveragePercent(observations);
        ctx.enums(observations);
        ctx.stat('coverage', { observed, total, percent });
        if (ctx.env.minEnumCoverage > 0 && percent < ctx.env.minEnumCoverage) {
          const missing = observations.flatMap((r) => r.values.filter((v) => !r.observed.includes(v)).map((v) => `${r.pointer}=${v}`));
          ctx.fail({
            message: `only ${observed} of ${total} documented enum values were observed`,
            received: `${percent.toFixed(1)}% (missing ${missing.slice(0, 6).join(', ')}${missing.length > 6 ? ', …' : ''})`,
            expected: `at least ${ctx.env.minEnumCoverage}% (--min-enum-coverage)`,
            // The values are documented; the gate is the user's, and fails as asked.
            basis: documented(ctx.operation, 'responses', '200'),
            severity: 'error',
          });
        }
      },
    };
  },
};
