/**
 * content-type: application/json for success, as the operations document; errors as
 * application/problem+json, which RFC 7807 defines and Upvest serves, though the pages show
 * no content type for them: an error in plain JSON is a warning.
 */
import { convention, documented } from './basis.js';
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
        const isError = result.status >= 400;
        const basis =
          isError || result.probe.kind === 'foreign'
            ? convention('RFC 7807 §3, §6.1: problem details are served as application/problem+json (as Upvest does)')
            : documented(ctx.operation, 'responses', String(result.status), 'content');
        ctx.fail({
          key: `${result.status} ${received}`,
          basis,
          message: `a ${result.status} response is served as ${received ?? 'no content type'}`,
          received: result.headers['content-type'] ?? '(no content-type header)',
          expected,
          result,
        });
      },
    };
  },
};
