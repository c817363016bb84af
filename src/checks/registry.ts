/** Every check, in the order the engine runs them. Names are an interface (CLI --only/--skip, reports, baselines). */
import { auth } from './auth.js';
import { contentType } from './content-type.js';
import { dateFilter } from './date-filter.js';
import { enumCoverage } from './enum-coverage.js';
import { errorShape } from './error-shape.js';
import { idempotency } from './idempotency.js';
import { inputValidation } from './input-validation.js';
import { methodNotAllowed } from './method-not-allowed.js';
import { noServerError } from './no-server-error.js';
import { notAcceptable } from './not-acceptable.js';
import { notFound } from './not-found.js';
import { ordering } from './ordering.js';
import { paginationMeta } from './pagination-meta.js';
import { paginationTraversal } from './pagination-traversal.js';
import { resourceAvailability } from './resource-availability.js';
import { resourceIdentity } from './resource-identity.js';
import { responseHeaders } from './response-headers.js';
import { responseSchema } from './response-schema.js';
import { statusCode } from './status-code.js';
import type { Check } from './types.js';
import { undocumentedProperty } from './undocumented-property.js';

export function createRegistry(checks: Check[]): readonly Check[] {
  const seen = new Set<string>();
  for (const check of checks) {
    if (!/^[a-z][a-z-]*$/.test(check.name)) throw new Error(`check name "${check.name}" must be lower-case words joined by hyphens`);
    if (seen.has(check.name)) throw new Error(`two checks are named "${check.name}"`);
    seen.add(check.name);
  }
  return Object.freeze([...checks]);
}

export const CHECKS = createRegistry([
  responseSchema,
  undocumentedProperty,
  statusCode,
  contentType,
  responseHeaders,
  errorShape,
  noServerError,
  resourceIdentity,
  enumCoverage,
  auth,
  inputValidation,
  notFound,
  methodNotAllowed,
  notAcceptable,
  paginationMeta,
  paginationTraversal,
  ordering,
  dateFilter,
  idempotency,
  resourceAvailability,
]);

export function checkByName(name: string): Check | undefined {
  return CHECKS.find((c) => c.name === name);
}
