/** response-schema: every body validates against the generated validator of its operation, status and content type. */
import { documented, schemaRuleBasis } from './basis.js';
import { notJsonCause, problemFieldCause, schemaValueCause } from './causes.js';
import type { Check } from './types.js';
import { documentedContent, expectedOf, genericPointer, receivedOf, validationOf } from './util.js';

export const responseSchema: Check = {
  name: 'response-schema',
  title: 'Every response body validates against its documented schema',
  severity: 'error',
  scope: 'operation',
  // Error bodies of refused requests are problem documents like any other.
  observes: ['documented', 'variant', 'replay', 'negative'],
  appliesTo: () => true,
  start(ctx) {
    let validated = 0;
    return {
      observe(result) {
        const content = documentedContent(ctx, result);
        if (!content) return; // an undocumented status is status-code's finding
        const basis = documented(ctx.operation, 'responses', String(result.status), 'content', content.contentType, 'schema');
        if (result.json === undefined) {
          ctx.fail({
            key: `not-json ${result.status}`,
            cause: notJsonCause(result.status!),
            basis,
            message: `the ${result.status} body is not JSON`,
            received: result.jsonError ?? 'no body',
            expected: `a ${content.contentType} body`,
            result,
          });
          return;
        }
        validated++;
        for (const violation of validationOf(ctx, result, content.validator).violations) {
          const missing = violation.keyword === 'required' ? String(violation.params.missingProperty) : undefined;
          ctx.fail({
            // A problem's missing type or status is error-shape's finding (one cause, one finding).
            cause:
              result.status! >= 400 && violation.instancePath === '' && (missing === 'type' || missing === 'status')
                ? problemFieldCause(missing, result.status!)
                : schemaValueCause(result.status!, genericPointer(violation.instancePath)),
            // One failure per place and rule, however many items repeat it.
            key: `${result.status} ${genericPointer(violation.instancePath)} ${violation.keyword} ${violation.schemaPath}`,
            message: `${violation.instancePath || '/'} ${violation.message} (${result.status} ${content.contentType})`,
            received: receivedOf(violation),
            expected: expectedOf(violation),
            pointer: violation.instancePath,
            schemaPointer: `${content.validator}#${violation.schemaPath.slice(1)}`,
            basis: schemaRuleBasis(basis, violation),
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
