/**
 * undocumented-property: a property the spec does not document. Upvest adds fields over API
 * versions, so this is a warning, never a schema failure (see spec/README.md).
 */
import type { Check } from './types.js';
import { documentedContent, genericPointer, validationOf } from './util.js';

export const undocumentedProperty: Check = {
  name: 'undocumented-property',
  title: 'Responses carry only documented properties',
  severity: 'warning',
  appliesTo: () => true,
  start(ctx) {
    const reported = new Set<string>();
    return {
      observe(result) {
        if (result.probe.foreign || result.json === undefined) return;
        const content = documentedContent(ctx.operation, result);
        if (!content) return;
        for (const extra of validationOf(result, content.validator).undocumented) {
          const key = `${genericPointer(extra.instancePath)}/${extra.property}`;
          if (reported.has(key)) continue;
          reported.add(key);
          ctx.fail({
            message: `undocumented property "${extra.property}" in ${extra.instancePath || 'the body'} (${result.status})`,
            received: `property "${extra.property}"`,
            expected: 'only the properties the spec documents (a newer API version may add this one)',
            pointer: `${extra.instancePath}/${extra.property}`,
            severity: 'warning',
            result,
          });
        }
      },
    };
  },
};
