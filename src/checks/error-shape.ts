/**
 * error-shape: every 4xx/5xx is an RFC 7807 problem whose `status` equals the HTTP status and
 * whose `request_id`, when present, equals the upvest-request-id header. A `type` that the
 * documentation gives to another status is a warning (the docs' own 503 examples do that), and so
 * is a field the spec holds constant per type (`x-same-for`: the title) that changes.
 */
import { convention, documentedAt } from './basis.js';
import { missingHeaderCause, notJsonCause, problemFieldCause } from './causes.js';
import type { Check } from './types.js';
import { show } from './util.js';

/** The problem fields are documented on every operation's error responses. */
const SOURCE = 'the error responses of every operation page';

export const errorShape: Check = {
  name: 'error-shape',
  title: 'Errors are problem documents whose status and request_id match the response',
  severity: 'error',
  scope: 'operation',
  observes: ['documented', 'variant', 'replay', 'negative', 'foreign'],
  appliesTo: () => true,
  start(ctx) {
    const problemBasis = () => documentedAt('#/components/schemas/Problem', SOURCE);
    // x-same-for: the first value seen of a field (title) for each value of another (type).
    const sameFor = ctx.spec.manifest.problem?.sameFor ?? [];
    const firstSeen = new Map<string, { value: unknown }>();
    return {
      observe(result) {
        if (result.status === undefined || result.status < 400) return;
        const body = result.json;
        if (!body || typeof body !== 'object' || Array.isArray(body)) {
          ctx.fail({
            key: `not-object ${result.status}`,
            ...(result.json === undefined ? { cause: notJsonCause(result.status) } : {}),
            basis: problemBasis(),
            message: `the ${result.status} body is not a problem document`,
            received: result.jsonError ?? show(body),
            expected: 'a JSON object with type and status (RFC 7807)',
            result,
          });
          return;
        }
        const problem = body as Record<string, unknown>;
        if (typeof problem.status !== 'number' || problem.status !== result.status) {
          ctx.fail({
            key: `status ${result.status} ${String(problem.status)}`,
            cause: problemFieldCause('status', result.status),
            // "Transmission of the HTTP status code so that all information can be found in one place".
            basis: documentedAt('#/components/schemas/Problem/properties/status', SOURCE),
            message: `the problem's status differs from the HTTP status ${result.status}`,
            received: show(problem.status),
            expected: String(result.status),
            pointer: '/status',
            result,
          });
        }
        if (typeof problem.type !== 'string' || problem.type === '') {
          ctx.fail({
            key: `type ${result.status}`,
            cause: problemFieldCause('type', result.status),
            basis: documentedAt('#/components/schemas/Problem/required', SOURCE),
            message: `the ${result.status} problem has no type`,
            received: show(problem.type),
            expected: 'a non-empty string type',
            pointer: '/type',
            result,
          });
        } else {
          const documentedFor = ctx.spec.statusOfProblemType(problem.type);
          if (documentedFor !== undefined && documentedFor !== result.status) {
            ctx.fail({
              key: `type-status ${result.status} ${problem.type}`,
              basis: convention('RFC 7807 §3.1: a type names the kind of problem; the documentation gives each status its own'),
              message: `problem type "${problem.type}" is documented for ${documentedFor}, not ${result.status}`,
              received: show(problem.type),
              expected: `a type describing a ${result.status}`,
              pointer: '/type',
              severity: 'warning',
              result,
            });
          }
        }
        for (const rule of sameFor) {
          const per = problem[rule.per];
          if (typeof per !== 'string' || problem[rule.field] === undefined) continue;
          const key = `${rule.field} per ${rule.per} ${per}`;
          const first = firstSeen.get(key);
          if (!first) {
            firstSeen.set(key, { value: problem[rule.field] });
            continue;
          }
          if (first.value === problem[rule.field]) continue;
          ctx.fail({
            key: `same-for ${key}`,
            basis: documentedAt(`#/components/schemas/Problem/properties/${rule.field}`, rule.source ?? SOURCE),
            message: `problem ${rule.per} "${per}" came with two ${rule.field}s`,
            received: show(problem[rule.field]),
            expected: `${show(first.value)}, as before: "the ${rule.field} should not change for given ${rule.per}s"`,
            pointer: `/${rule.field}`,
            // The page says "should".
            severity: 'warning',
            result,
          });
        }
        const header = result.headers['upvest-request-id'];
        if (problem.request_id !== undefined && problem.request_id !== header) {
          ctx.fail({
            key: `request_id ${result.status}`,
            // "Correlation ID for the original request": the pages do not say it must equal the header.
            basis: convention('request_id correlates the problem with its request, as upvest-request-id does'),
            // Without the header the difference is the missing header, which response-headers reports.
            ...(header === undefined ? { cause: missingHeaderCause('upvest-request-id') } : {}),
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
