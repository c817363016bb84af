/** no-server-error: whatever was sent, the target never answers 5xx. */
import { convention, documented } from './basis.js';
import type { Check } from './types.js';

export const noServerError: Check = {
  name: 'no-server-error',
  title: 'No request is answered with a 5xx',
  severity: 'error',
  scope: 'operation',
  observes: ['documented', 'variant', 'replay', 'negative', 'foreign'],
  appliesTo: () => true,
  start(ctx) {
    return {
      observe(result) {
        if (result.status === undefined || result.status < 500) return;
        // A valid request that fails did not get the documented success; a 5xx to a broken one is bad practice;
        // 503 and 504 are documented as passing unavailability, retried by the transport already.
        const transient = result.status === 503 || result.status === 504;
        const basis = transient
          ? convention(`the documentation lists ${result.status} as a passing unavailability of the service`)
          : result.probe.kind === 'negative' || result.probe.kind === 'foreign'
            ? convention('RFC 9110 §15.6: a 5xx says the server failed; a malformed request is answered with a 4xx')
            : documented(ctx.operation, 'responses', '200');
        ctx.fail({
          key: `${result.status} ${basis.kind}`,
          basis,
          message: `${result.probe.purpose}: answered ${result.status}`,
          received: String(result.status),
          expected: 'a 2xx or 4xx: no request should make the service fail',
          result,
        });
      },
    };
  },
};
