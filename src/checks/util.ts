/** Small helpers shared by checks. */
import type { ManifestResponseContent } from '../spec/manifest-types.js';
import type { BodyValidation, SchemaViolation } from '../spec/validate.js';
import type { CheckContext, ProbeResult } from './types.js';

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `application/json; charset=utf-8` → `application/json`. */
export function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0].trim().toLowerCase() || undefined;
}

/** A value as a short printable string. */
export function show(value: unknown, max = 80): string {
  if (value === undefined) return '(absent)';
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Array indices as `*`, so one fault repeated over 1000 items is reported once. */
export function genericPointer(pointer: string): string {
  return pointer.replace(/\/\d+(?=\/|$)/g, '/*');
}

/** The documented content a response is judged against: its own content type, else the first documented. */
export function documentedContent(ctx: Pick<CheckContext, 'operation' | 'spec'>, result: ProbeResult): ManifestResponseContent | undefined {
  if (result.status === undefined) return undefined;
  const documented = ctx.spec.documentedResponse(ctx.operation, result.status);
  if (!documented || documented.contents.length === 0) return undefined;
  return documented.contents.find((c) => c.contentType === mediaType(result.headers['content-type'])) ?? documented.contents[0];
}

const validations = new WeakMap<object, Map<string, BodyValidation>>();

/**
 * Validate once per body value, however many checks ask (response-schema and undocumented-property)
 * and however many responses carried the same bytes (they share one frozen value: ResponseBodies).
 */
export function validationOf(ctx: Pick<CheckContext, 'spec'>, result: ProbeResult, validator: string): BodyValidation {
  // A scalar body has no identity of its own: its validations are kept on the response.
  const key: object = result.json !== null && typeof result.json === 'object' ? result.json : result;
  const byValidator = validations.get(key) ?? new Map<string, BodyValidation>();
  validations.set(key, byValidator);
  const outcome = byValidator.get(validator) ?? ctx.spec.validate(validator, result.json);
  byValidator.set(validator, outcome);
  return outcome;
}

/** What the schema wanted, from an AJV error. */
export function expectedOf(violation: SchemaViolation): string {
  const p = violation.params as Record<string, unknown>;
  switch (violation.keyword) {
    case 'enum':
      return `one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return JSON.stringify(p.allowedValue);
    case 'type':
      return `a value of type ${String(p.type)}`;
    case 'required':
      return `property "${String(p.missingProperty)}"`;
    case 'format':
      return `a string in format ${String(p.format)}`;
    case 'pattern':
      return `a string matching ${String(p.pattern)}`;
    case 'not':
      return 'the value not to match the excluded shape';
    case 'oneOf':
      return 'exactly one of the documented alternatives';
    default:
      return violation.message;
  }
}

export function receivedOf(violation: SchemaViolation): string {
  if (violation.keyword === 'required') return `no property "${String((violation.params as Record<string, unknown>).missingProperty)}"`;
  return show(violation.value);
}

/** The path parameter values a probe was sent with (set by requestFor). */
export function pathParamsOf(result: ProbeResult): Record<string, string> {
  return result.probe.pathParams ?? {};
}

export function isList(value: unknown): value is { meta: Record<string, unknown>; data: unknown[] } {
  return Boolean(
    value &&
      typeof value === 'object' &&
      Array.isArray((value as { data?: unknown }).data) &&
      typeof (value as { meta?: unknown }).meta === 'object',
  );
}

/** Pointers split once: a run reads the same few fields (the spec's) of every item of every page. */
const pointerKeys = new Map<string, string[]>();
const MAX_POINTERS_KEPT = 1_000;

/** The value at a pointer relative to an item (`/status`, `/created_at`). */
export function fieldOf(item: unknown, pointer: string): unknown {
  let keys = pointerKeys.get(pointer);
  if (keys === undefined) {
    keys = pointer.split('/').slice(1);
    if (pointerKeys.size < MAX_POINTERS_KEPT) pointerKeys.set(pointer, keys);
  }
  let current: unknown = item;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * Visit every place a pointer with `*` wildcards reaches. A property that is missing is visited
 * with `undefined`; an array that is missing yields nothing. `at()` spells the concrete pointer,
 * built only when asked for (enum coverage walks every value of large pages without it).
 */
function walkPointer(json: unknown, pointer: string, visit: (value: unknown, at: () => string) => void): void {
  const parts = pointer.split('/').slice(1);
  const path: (string | number)[] = [];
  const at = () => path.map((segment) => `/${segment}`).join('');
  const walk = (value: unknown, depth: number): void => {
    if (depth === parts.length) {
      visit(value, at);
      return;
    }
    const part = parts[depth];
    if (part === '*') {
      if (!Array.isArray(value)) return;
      value.forEach((item, i) => {
        path.push(i);
        walk(item, depth + 1);
        path.pop();
      });
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      path.push(part);
      walk((value as Record<string, unknown>)[part], depth + 1);
      path.pop();
    }
  };
  walk(json, 0);
}

/** Every place a wildcard pointer reaches, with its concrete pointer (missing properties as `undefined`: identity checks must see them). */
export function valuesAt(json: unknown, pointer: string): { pointer: string; value: unknown }[] {
  const out: { pointer: string; value: unknown }[] = [];
  walkPointer(json, pointer, (value, at) => out.push({ pointer: at(), value }));
  return out;
}

/** The values present at a wildcard pointer (missing properties left out). */
export function presentValuesAt(json: unknown, pointer: string): unknown[] {
  const out: unknown[] = [];
  walkPointer(json, pointer, (value) => {
    if (value !== undefined) out.push(value);
  });
  return out;
}
