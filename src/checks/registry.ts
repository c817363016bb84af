/**
 * Every check, of every scope, in the order the engine runs and reports them. Names are an
 * interface (CLI --only/--skip, reports, baselines): the registry refuses a duplicate or a
 * malformed one.
 */
import { auth } from './auth.js';
import { contentType } from './content-type.js';
import { dateFilter } from './date-filter.js';
import { enumCoverage } from './enum-coverage.js';
import { errorShape } from './error-shape.js';
import { idempotency } from './idempotency.js';
import { inputValidation } from './input-validation.js';
import { listCombinations } from './list-combinations.js';
import { methodNotAllowed } from './method-not-allowed.js';
import { noServerError } from './no-server-error.js';
import { notAcceptable } from './not-acceptable.js';
import { notFound } from './not-found.js';
import { ordering } from './ordering.js';
import { paginationMeta } from './pagination-meta.js';
import { paginationTraversal } from './pagination-traversal.js';
import { requestReflection } from './request-reflection.js';
import { resourceAvailability } from './resource-availability.js';
import { resourceIdentity } from './resource-identity.js';
import { responseHeaders } from './response-headers.js';
import { responseSchema } from './response-schema.js';
import { statusCode } from './status-code.js';
import type { Check, CheckInfo, CheckScope } from './types.js';
import { undocumentedProperty } from './undocumented-property.js';
import { sideEffects } from './side-effects.js';
import { CONSUMER_CHECKS } from './webhook-consumer.js';
import { webhookEvents } from './webhook-events.js';

export interface Registry {
  /** Every check, every scope. */
  readonly all: readonly CheckInfo[];
  /** The checks of the API's operations, runnable by the engine. */
  readonly operationChecks: readonly Check[];
  byName(name: string): CheckInfo | undefined;
  ofScope(scope: CheckScope): readonly CheckInfo[];
}

export function createRegistry(checks: readonly (Check | CheckInfo)[]): Registry {
  const seen = new Set<string>();
  for (const check of checks) {
    if (!/^[a-z][a-z-]*$/.test(check.name)) throw new Error(`check name "${check.name}" must be lower-case words joined by hyphens`);
    if (seen.has(check.name)) throw new Error(`two checks are named "${check.name}"`);
    seen.add(check.name);
  }
  const all = Object.freeze([...checks]);
  return {
    all,
    operationChecks: Object.freeze(all.filter((c): c is Check => c.scope === 'operation')),
    byName: (name) => all.find((c) => c.name === name),
    ofScope: (scope) => all.filter((c) => c.scope === scope),
  };
}

export const REGISTRY = createRegistry([
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
  listCombinations,
  ordering,
  dateFilter,
  idempotency,
  resourceAvailability,
  requestReflection,
  webhookEvents,
  sideEffects,
  ...Object.values(CONSUMER_CHECKS),
]);

/** The operation checks, in the order the engine runs them. */
export const CHECKS: readonly Check[] = REGISTRY.operationChecks;
