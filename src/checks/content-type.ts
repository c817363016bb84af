/** content-type: application/json for success, application/problem+json for errors. */
import type { Check } from './types.js';
import { mediaType } from './util.js';

export const contentType: Check = {
  name: 'content-type',
  title: 'Success bodies are application/json, errors application/problem+json',
  severity: 'error',
  appliesTo: () => true,
  start(ctx) {
    const reported = new Set<string>();
    return {
      observe(result) {
        if (result.status === undefined || (result.status >= 300 && result.status < 400)) return;
        const expected = result.status >= 400 ? 'application/problem+json' : 'application/json';
        const received = mediaType(result.headers['content-type']);
        if (received === expected || reported.has(`${result.status} ${received}`)) return;
        reported.add(`${result.status} ${received}`);
        ctx.fail({
          message: `a ${result.status} response is served as ${received ?? 'no content type'}`,
          received: result.headers['content-type'] ?? '(no content-type header)',
          expected,
          result,
        });
      },
    };
  },
};
