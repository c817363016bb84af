/** response-schema: every body validates against the generated validator of its operation, status and content type. */
import type { Check } from './types.js';
import { documentedContent, expectedOf, genericPointer, receivedOf, validationOf } from './util.js';

export const responseSchema: Check = {
  name: 'response-schema',
  title: 'Every response body validates against its documented schema',
  severity: 'error',
  appliesTo: () => true,
  start(ctx) {
    const reported = new Map<string, number>();
    let validated = 0;
    return {
      observe(result) {
        if (result.probe.foreign) return;
        const content = documentedContent(ctx.operation, result);
        if (!content) return; // an undocumented status is status-code's finding
        if (result.json === undefined) {
          if (reported.has(`nojson ${result.status}`)) return;
          reported.set(`nojson ${result.status}`, 1);
          ctx.fail({
            message: `the ${result.status} body is not JSON`,
            received: result.jsonError ?? 'no body',
            expected: `a ${content.contentType} body`,
            result,
          });
          return;
        }
        validated++;
        for (const violation of validationOf(result, content.validator).violations) {
          // One failure per place and rule, however many items repeat it.
          const key = `${result.status} ${genericPointer(violation.instancePath)} ${violation.keyword} ${violation.schemaPath}`;
          const seen = reported.get(key) ?? 0;
          reported.set(key, seen + 1);
          if (seen > 0) continue;
          ctx.fail({
            message: `${violation.instancePath || '/'} ${violation.message} (${result.status} ${content.contentType})`,
            received: receivedOf(violation),
            expected: expectedOf(violation),
            pointer: violation.instancePath,
            schemaPointer: `${content.validator}#${violation.schemaPath.slice(1)}`,
            result,
          });
        }
      },
      conclude() {
        ctx.stat('bodiesValidated', validated);
      },
    };
  },
};
