/**
 * undocumented-property: a property the spec does not document. Upvest adds fields over API
 * versions, so this is a warning, never a schema failure (see spec/README.md).
 */
import { documentedAt } from './basis.js';
import type { Check } from './types.js';
import { documentedContent, genericPointer, validationOf } from './util.js';

export const undocumentedProperty: Check = {
  name: 'undocumented-property',
  title: 'Responses carry only documented properties',
  severity: 'warning',
  scope: 'operation',
  observes: ['documented', 'variant', 'replay', 'negative'],
  appliesTo: () => true,
  start(ctx) {
    return {
      observe(result) {
        if (result.json === undefined) return;
        const content = documentedContent(ctx, result);
        if (!content) return;
        for (const extra of validationOf(ctx, result, content.validator).undocumented) {
          ctx.fail({
            key: `${genericPointer(extra.instancePath)}/${extra.property}`,
            message: `undocumented property "${extra.property}" in ${extra.instancePath || 'the body'} (${result.status})`,
            received: `property "${extra.property}"`,
            expected: 'only the properties the spec documents (a newer API version may add this one)',
            pointer: `${extra.instancePath}/${extra.property}`,
            // The spec leaves response objects open on purpose: an extra property is worth knowing, never a violation.
            severity: 'warning',
            basis: documentedAt('#/info/x-undocumented-properties'),
            result,
          });
        }
      },
    };
  },
};
