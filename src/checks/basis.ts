/**
 * The basis of a finding: which requirement it enforces. Documented requirements point into
 * spec/openapi.yaml and name the documentation page the operation was written from (x-source);
 * conventions name the RFC or the practice. A convention is never more than a warning unless
 * the user asks (--fail-on warning, --expect-signature-verification): see spec/README.md,
 * "Basis of each requirement".
 */
import type { ManifestOperation } from '../spec/manifest-types.js';
import type { Basis } from './types.js';

/** `/accounts/{account_id}/valuations` → `~1accounts~1{account_id}~1valuations` (RFC 6901). */
function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A JSON pointer into the spec, under the operation: `responses/200`, `parameters/limit`. */
export function specPointer(operation: Pick<ManifestOperation, 'path' | 'method'>, ...segments: string[]): string {
  return ['#', 'paths', escapePointerSegment(operation.path), operation.method.toLowerCase(), ...segments.map(escapePointerSegment)].join(
    '/',
  );
}

/** A requirement of the operation's documentation, at `segments` under it in the spec. */
export function documented(operation: Pick<ManifestOperation, 'path' | 'method' | 'source'>, ...segments: string[]): Basis {
  return { kind: 'documented', pointer: specPointer(operation, ...segments), ...(operation.source ? { source: operation.source } : {}) };
}

/** A requirement of the spec outside any operation (components, info), with the page it came from if any. */
export function documentedAt(pointer: string, source?: string): Basis {
  return { kind: 'documented', pointer, ...(source ? { source } : {}) };
}

export function convention(reference: string): Basis {
  return { kind: 'convention', reference };
}

/** One line for the rendered text and the reports: `documented: #/paths/… (page)` or `convention: RFC 9110 §15.5.6`. */
export function describeBasis(basis: Basis): string {
  return basis.kind === 'documented'
    ? `documented: ${basis.pointer}${basis.source ? ` (${basis.source})` : ''}`
    : `convention: ${basis.reference}`;
}

/**
 * The basis of a schema rule a body broke: the documented schema, unless the spec marks the rule
 * as a reading of the pages (`x-convention`), which makes it a convention (a warning by default).
 */
export function schemaRuleBasis(schema: Basis, violation: { convention?: string }): Basis {
  return violation.convention ? convention(`a reading of the pages recorded in the spec: ${violation.convention}`) : schema;
}
