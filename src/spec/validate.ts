/**
 * Body validation with the generated standalone validators, split into what is a failure
 * (the open validator rejects it) and what is only undocumented (the closed twin rejects it).
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import * as bodyValidators from '../../generated/validators.js';
import * as parameterValidators from '../../generated/param-validators.js';
import { storedSchema } from './manifest.js';

export interface SchemaViolation {
  /** JSON pointer into the instance. */
  instancePath: string;
  /** JSON pointer into the validator's schema (see generated/schemas.json). */
  schemaPath: string;
  keyword: string;
  message: string;
  params: Record<string, unknown>;
  /** The offending value (undefined when a property is missing). */
  value: unknown;
  /**
   * Set when the rule broken is a reading of the pages rather than a sentence of them (the
   * nearest `x-convention` on the schema path): then it is a convention, not a documented
   * requirement, and its finding a warning.
   */
  convention?: string;
}

export interface UndocumentedProperty {
  /** Pointer of the object that carries the property. */
  instancePath: string;
  property: string;
}

export interface BodyValidation {
  valid: boolean;
  violations: SchemaViolation[];
  undocumented: UndocumentedProperty[];
}

const bodies = bodyValidators as unknown as Record<string, ValidateFunction | undefined>;
const params = parameterValidators as unknown as Record<string, ValidateFunction | undefined>;

export function bodyValidator(name: string): ValidateFunction {
  const fn = bodies[name];
  if (!fn) throw new Error(`no validator ${name} in generated/validators.js`);
  return fn;
}

export function parametersValidator(name: string): ValidateFunction {
  const fn = params[name];
  if (!fn) throw new Error(`no validator ${name} in generated/param-validators.js`);
  return fn;
}

/** Resolve a JSON pointer (with `~0`/`~1` escapes) in a value. */
export function valueAt(data: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return data;
  let current: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * The reading behind the rule an error broke: the deepest `x-convention` on its schema path in
 * the stored schema. An `if` error ("must match then/else") belongs to the branch that failed.
 */
export function conventionOf(stored: unknown, error: Pick<ErrorObject, 'schemaPath' | 'keyword' | 'params'>): string | undefined {
  const segments = error.schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (error.keyword === 'if' && segments.at(-1) === 'if') {
    const failing = (error.params as { failingKeyword?: unknown }).failingKeyword;
    if (failing === 'then' || failing === 'else') segments[segments.length - 1] = failing;
  }
  let node: unknown = stored;
  let found: string | undefined;
  for (const raw of ['', ...segments]) {
    if (raw !== '') {
      if (node === null || typeof node !== 'object') break;
      node = (node as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    const here = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)['x-convention'] : undefined;
    if (typeof here === 'string') found = here;
  }
  return found;
}

export function toViolations(errors: ErrorObject[] | null | undefined, data: unknown, stored?: unknown): SchemaViolation[] {
  return (errors ?? []).map((e) => {
    const convention = stored === undefined ? undefined : conventionOf(stored, e);
    return {
      instancePath: e.instancePath,
      schemaPath: e.schemaPath,
      keyword: e.keyword,
      message: e.message ?? e.keyword,
      params: e.params as Record<string, unknown>,
      value: valueAt(data, e.instancePath),
      ...(convention ? { convention } : {}),
    };
  });
}

/**
 * One cause, one violation. AJV also reports the wrappers of a broken rule: an `if` says "must
 * match then/else" beside the error inside that branch, which already names the place and the
 * rule. And where a documented rule is broken at a place, a reading broken at the same place
 * (`x-convention`) has the same cause: an order status "LOST" breaks the documented enum, and
 * so of course also the reading that the event type names the status.
 */
export function oneCausePerPlace(violations: SchemaViolation[]): SchemaViolation[] {
  const explained = (v: SchemaViolation) => {
    if (v.keyword !== 'if') return false;
    const failing = (v.params as { failingKeyword?: unknown }).failingKeyword;
    if (failing !== 'then' && failing !== 'else') return false;
    const branch = `${v.schemaPath.slice(0, -'if'.length)}${failing}/`;
    return violations.some((other) => other !== v && other.schemaPath.startsWith(branch));
  };
  const kept = violations.filter((v) => !explained(v));
  const documentedAt = new Set(kept.filter((v) => !v.convention).map((v) => v.instancePath));
  return kept.filter((v) => !v.convention || !documentedAt.has(v.instancePath));
}

/**
 * The closed twin reports every unevaluated property, including those seen while trying a
 * oneOf branch that does not apply. The open validator already passed, so exactly one branch
 * of every oneOf matched; a branch with any other error is not the matching one.
 */
function undocumentedFrom(errors: ErrorObject[]): UndocumentedProperty[] {
  const failedBranches = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'unevaluatedProperties' || e.keyword === 'oneOf') continue;
    const re = /\/oneOf\/\d+/g;
    for (const match of e.schemaPath.matchAll(re)) failedBranches.add(e.schemaPath.slice(0, match.index + match[0].length));
  }
  const seen = new Set<string>();
  const out: UndocumentedProperty[] = [];
  for (const e of errors) {
    if (e.keyword !== 'unevaluatedProperties') continue;
    if ([...failedBranches].some((prefix) => e.schemaPath.startsWith(`${prefix}/`))) continue;
    const property = String((e.params as { unevaluatedProperty?: string }).unevaluatedProperty);
    const key = `${e.instancePath}\u0000${property}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ instancePath: e.instancePath, property });
  }
  return out;
}

/** Validate a body against `validator` and, when it passes, its `_closed` twin if there is one. */
export function validateBody(validator: string, data: unknown): BodyValidation {
  const open = bodyValidator(validator);
  if (!open(data)) {
    return { valid: false, violations: oneCausePerPlace(toViolations(open.errors, data, storedSchema(validator))), undocumented: [] };
  }
  const closed = bodies[`${validator}_closed`];
  if (!closed || closed(data)) return { valid: true, violations: [], undocumented: [] };
  return { valid: true, violations: [], undocumented: undocumentedFrom(closed.errors ?? []) };
}
