/** content-type: application/json for success, application/problem+json for errors. */
import type { Check } from './types.js';
import { mediaType } from './util.js';

export const contentType: Check = {
  name: 'content-type',
  title: 'Success bodies are application/json, errors application/problem+json',
  severity: 'error',
  scope: 'operation',
  observes: ['documented', 'variant', 'replay', 'negative', 'foreign'],
  appliesTo: () => true,
  start(ctx) {
    return {
      observe(result) {
        if (result.status === undefined || (result.status >= 300 && result.status < 400)) return;
        const expected = result.status >= 400 ? 'application/problem+json' : 'application/json';
        const received = mediaType(result.headers['content-type']);
        if (received === expected) return;
        ctx.fail({
          key: `${result.status} ${received}`,
          message: `a ${result.status} response is served as ${received ?? 'no content type'}`,
          received: result.headers['content-type'] ?? '(no content-type header)',
          expected,
          result,
        });
      },
    };
  },
};
