/**
 * error-shape: every 4xx/5xx is an RFC 7807 problem whose `status` equals the HTTP status and
 * whose `request_id`, when present, equals the upvest-request-id header. A `type` that the
 * documentation gives to another status is a warning (the docs' own 503 examples do that).
 */
import { manifest } from '../spec/manifest.js';
import type { Check } from './types.js';
import { show } from './util.js';

/** Documented problem type → the status it belongs to, over the whole spec. */
const STATUS_OF_TYPE = new Map<string, number>();
for (const op of manifest.operations) for (const r of op.responses) if (r.problemType) STATUS_OF_TYPE.set(r.problemType, Number(r.status));

export const errorShape: Check = {
  name: 'error-shape',
  title: 'Errors are problem documents whose status and request_id match the response',
  severity: 'error',
  appliesTo: () => true,
  start(ctx) {
    const reported = new Set<string>();
    const once = (key: string) => {
      if (reported.has(key)) return false;
      reported.add(key);
      return true;
    };
    return {
      observe(result) {
        if (result.status === undefined || result.status < 400) return;
        const body = result.json;
        if (!body || typeof body !== 'object' || Array.isArray(body)) {
          if (once(`not-object ${result.status}`))
            ctx.fail({
              message: `the ${result.status} body is not a problem document`,
              received: result.jsonError ?? show(body),
              expected: 'a JSON object with type and status (RFC 7807)',
              result,
            });
          return;
        }
        const problem = body as Record<string, unknown>;
        if (typeof problem.status !== 'number' || problem.status !== result.status) {
          if (once(`status ${result.status} ${String(problem.status)}`)) {
            ctx.fail({
              message: `the problem's status differs from the HTTP status ${result.status}`,
              received: show(problem.status),
              expected: String(result.status),
              pointer: '/status',
              result,
            });
          }
        }
        if (typeof problem.type !== 'string' || problem.type === '') {
          if (once(`type ${result.status}`))
            ctx.fail({
              message: `the ${result.status} problem has no type`,
              received: show(problem.type),
              expected: 'a non-empty string type',
              pointer: '/type',
              result,
            });
        } else {
          const documentedFor = STATUS_OF_TYPE.get(problem.type);
          if (documentedFor !== undefined && documentedFor !== result.status && once(`type-status ${result.status} ${problem.type}`)) {
            ctx.fail({
              message: `problem type "${problem.type}" is documented for ${documentedFor}, not ${result.status}`,
              received: show(problem.type),
              expected: `a type describing a ${result.status}`,
              pointer: '/type',
              severity: 'warning',
              result,
            });
          }
        }
        const header = result.headers['upvest-request-id'];
        if (problem.request_id !== undefined && problem.request_id !== header && once(`request_id ${result.status}`)) {
          ctx.fail({
            message: "the problem's request_id differs from the upvest-request-id header",
            received: show(problem.request_id),
            expected: show(header),
            pointer: '/request_id',
            result,
          });
        }
      },
    };
  },
};
