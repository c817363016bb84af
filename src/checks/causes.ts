/**
 * The causes of findings that more than one check would report, each namespaced by the check
 * that owns it: the run keeps one failure per cause (the owner's), see src/engine/outcome.ts.
 */

/** A documented response header that is missing: response-headers' finding. */
export function missingHeaderCause(name: string): string {
  return `response-headers:missing:${name}`;
}

/** A body that is not JSON: response-schema's finding. */
export function notJsonCause(status: number): string {
  return `response-schema:not-json:${status}`;
}

/** A problem's type or status that is missing or wrong: error-shape's finding. */
export function problemFieldCause(field: 'type' | 'status', status: number): string {
  return `error-shape:${field}:${status}`;
}

/** A value the schema refuses at a place (array indices as *): response-schema's finding. */
export function schemaValueCause(status: number, pointer: string): string {
  return `response-schema:value:${status}:${pointer}`;
}
