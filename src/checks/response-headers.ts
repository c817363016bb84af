/** response-headers: every response carries the documented headers, upvest-request-id a uuid on all of them. */
import type { ParameterConstraints } from '../spec/manifest-types.js';
import { convention, documented, documentedAt } from './basis.js';
import { missingHeaderCause } from './causes.js';
import type { Check } from './types.js';
import { show, UUID_RE } from './util.js';

const REQUEST_ID = { name: 'upvest-request-id', required: true, constraints: { type: 'string', format: 'uuid' } as ParameterConstraints };

function violates(value: string, constraints: ParameterConstraints): string | undefined {
  if (constraints.format === 'uuid' && !UUID_RE.test(value)) return 'a uuid';
  if (constraints.pattern && !new RegExp(constraints.pattern, 'u').test(value)) return `a value matching ${constraints.pattern}`;
  if (constraints.enum && !constraints.enum.includes(value)) return `one of ${constraints.enum.join(', ')}`;
  return undefined;
}

export const responseHeaders: Check = {
  name: 'response-headers',
  title: 'Every response carries upvest-request-id (a uuid) and the documented headers',
  severity: 'error',
  scope: 'operation',
  observes: ['documented', 'variant', 'replay', 'negative', 'foreign'],
  appliesTo: () => true,
  start(ctx) {
    const requestIds = new Map<string, string>();
    return {
      observe(result) {
        if (result.status === undefined) return;
        const response = result.probe.kind === 'foreign' ? undefined : ctx.spec.documentedResponse(ctx.operation, result.status);
        // Every response, documented or not, carries the request id (spec/README.md).
        const headers = response?.headers.length ? response.headers : [REQUEST_ID];
        for (const header of headers) {
          const value = result.headers[header.name];
          const problem = value === undefined ? (header.required ? 'missing' : undefined) : violates(value, header.constraints);
          if (!problem) continue;
          const missing = problem === 'missing';
          const basis = response
            ? documented(ctx.operation, 'responses', String(result.status), 'headers', header.name)
            : documentedAt('#/components/headers/UpvestRequestId', 'every response of every page documents it');
          ctx.fail({
            basis,
            key: `${header.name} ${missing ? 'missing' : 'invalid'}`,
            ...(missing ? { cause: missingHeaderCause(header.name) } : {}),
            message: missing ? `the ${result.status} response has no ${header.name} header` : `${header.name} is not ${problem}`,
            received: missing ? '(absent)' : show(value),
            expected: missing ? `a ${header.name} header${header.constraints.format ? ` (${header.constraints.format})` : ''}` : problem,
            result,
          });
        }
        const id = result.headers[REQUEST_ID.name];
        // An idempotent replay may legitimately repeat the original response, id included.
        if (!id || !UUID_RE.test(id) || result.probe.kind === 'replay') return;
        // A correlation id identifies one request: the same id on two responses is a fault.
        const previous = requestIds.get(id);
        if (previous) {
          ctx.fail({
            key: 'duplicate',
            basis: convention('a correlation id names one request: two responses with one id cannot be told apart in a support case'),
            message: `two responses carry the same upvest-request-id (${previous} and ${result.probe.id})`,
            received: id,
            expected: 'a distinct id per request',
            result,
          });
        }
        if (requestIds.size < 10_000) requestIds.set(id, result.probe.id);
      },
    };
  },
};
