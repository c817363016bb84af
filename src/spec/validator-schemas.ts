/**
 * Generation-time logic: the schemas the AJV standalone validators are compiled from, by
 * validator name. A body schema is inlined (no $ref), then transformed by `transformSchema`:
 * once open (annotations dropped) and, for responses and events, once more as the closed twin
 * that rejects undocumented properties. Used only by scripts/generate.ts.
 */
import { mergedParameters, operationsOf, type JsonSchema, type OpenApiDocument, type ResponseObject } from './openapi-document.js';
import type { Manifest } from './manifest-types.js';
import { JSON_CONTENT_TYPE } from './lint.js';

export interface SchemaTransformOptions {
  /** Add `unevaluatedProperties: false` to object schemas: the "closed" twin. */
  close: boolean;
  /**
   * Drop content assertions where they cannot decide anything: the closed twin only runs on a
   * body the open validator accepted, so there they would only repeat its work (formats and
   * patterns are most of a large page's validation time). Kept under oneOf/anyOf/if/not/contains,
   * where a failing assertion chooses a branch and so which properties count as evaluated.
   */
  lean: boolean;
  /**
   * Keep `x-convention` (why a rule is a reading of the pages, not a sentence of them). Only in
   * the stored copy (generated/schemas.json): annotations beside keywords leave every AJV
   * `schemaPath` as it is, so a violation finds the reading behind the rule it broke.
   */
  keepConventions?: boolean;
}

/** The open validator's schema: every validation keyword kept, nothing closed. */
export const OPEN: SchemaTransformOptions = { close: false, lean: false };
/** The closed twin's schema. */
export const CLOSED_TWIN: SchemaTransformOptions = { close: true, lean: true };
/** The open validator's schema as stored for schema pointers: with the readings (x-convention) kept. */
export const STORED: SchemaTransformOptions = { close: false, lean: false, keepConventions: true };

const CONDITION_KEYWORDS = new Set(['if', 'then', 'else', 'not', 'contains', 'propertyNames']);
/** Keywords whose subschemas may fail while the whole still passes: the outcome there decides. */
const DECIDING_KEYWORDS = new Set(['oneOf', 'anyOf', ...CONDITION_KEYWORDS]);
/** Assertions on a value's content that never change which properties are evaluated. */
const CONTENT_ASSERTIONS = new Set(['format', 'pattern']);
/** Keywords whose value maps names to subschemas: the names are data, only the values are schemas. */
const SCHEMA_MAPS = new Set(['properties', '$defs', 'patternProperties', 'dependentSchemas']);
/** Keywords whose value is an instance, not a schema: copied as they are. */
const INSTANCE_VALUES = new Set(['default', 'const', 'enum', 'required']);

/** Keys that are not validation keywords: dropped so AJV strict mode stays on. */
function isAnnotationOnly(key: string): boolean {
  return key === 'example' || key === 'examples' || key.startsWith('x-');
}

/**
 * Whether the branches of a oneOf/anyOf each declare a `type` no other branch shares (the 3.1
 * nullable style `oneOf: [{type: object …}, {type: 'null'}]`): then the type alone picks the
 * branch, and content assertions inside cannot change the choice.
 */
function branchesDisjointByType(branches: unknown): boolean {
  if (!Array.isArray(branches)) return false;
  const seen = new Set<string>();
  for (const branch of branches as JsonSchema[]) {
    const types = typeof branch?.type === 'string' ? [branch.type] : Array.isArray(branch?.type) ? (branch.type as string[]) : undefined;
    if (!types) return false;
    // An integer is also a number: the two overlap.
    for (const type of types.map((t) => (t === 'integer' ? 'number' : t))) {
      if (seen.has(type)) return false;
      seen.add(type);
    }
  }
  return true;
}

function describesObjectProperties(schema: JsonSchema): boolean {
  const declaresObject = schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object'));
  if (declaresObject && schema.properties) return true;
  return Array.isArray(schema.allOf) && schema.allOf.some((member) => describesObjectProperties(member as JsonSchema));
}

/**
 * A copy of an inlined schema for AJV: without annotation-only keys, and closed and lean as
 * the options say. Schemas are inlined first (a $ref is refused) so that an AJV `schemaPath`
 * is a pointer into the validator's own schema, as stored in generated/schemas.json.
 */
export function transformSchema(schema: unknown, options: SchemaTransformOptions): unknown {
  return transform(schema, options, true);
}

function transform(schema: unknown, how: SchemaTransformOptions, closeSelf: boolean): unknown {
  if (Array.isArray(schema)) return schema.map((item) => transform(item, how, true));
  if (schema === null || typeof schema !== 'object') return schema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'x-convention' && how.keepConventions) {
      out[key] = value;
      continue;
    }
    if (isAnnotationOnly(key)) continue;
    if (how.lean && CONTENT_ASSERTIONS.has(key)) continue;
    if (key === '$ref') throw new Error(`unexpected $ref ${String(value)} after inlining`);
    if (SCHEMA_MAPS.has(key)) {
      out[key] = Object.fromEntries(Object.entries(value as JsonSchema).map(([k, v]) => [k, transform(v, how, true)]));
      continue;
    }
    if (INSTANCE_VALUES.has(key)) {
      out[key] = value;
      continue;
    }
    if (key === 'allOf') {
      // unevaluatedProperties inside one allOf member cannot see its siblings' properties:
      // members stay open themselves and the schema holding the allOf is closed instead.
      out[key] = (value as unknown[]).map((member) => transform(member, how, false));
      continue;
    }
    const under: SchemaTransformOptions = {
      ...how,
      // Conditions (if/then/else/not) describe fragments of the instance: closing them would reject the rest.
      close: how.close && !CONDITION_KEYWORDS.has(key),
      lean: how.lean && (!DECIDING_KEYWORDS.has(key) || branchesDisjointByType(value)),
    };
    out[key] = transform(value, under, true);
  }
  if (
    how.close &&
    closeSelf &&
    describesObjectProperties(out) &&
    out.additionalProperties === undefined &&
    out.unevaluatedProperties === undefined
  ) {
    out.unevaluatedProperties = false;
  }
  return out;
}

/**
 * The schema with every `#/components/schemas/…` reference replaced by the schema it names;
 * keywords beside a $ref win over the named schema's. The slice has no recursive schema.
 */
export function inlineRefs(schema: unknown, components: Record<string, JsonSchema>): unknown {
  if (Array.isArray(schema)) return schema.map((item) => inlineRefs(item, components));
  if (schema === null || typeof schema !== 'object') return schema;
  const ref = (schema as JsonSchema).$ref;
  if (typeof ref === 'string') {
    const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
    if (!name || !components[name]) throw new Error(`unsupported $ref ${ref}: only #/components/schemas refs may appear in schemas`);
    const { $ref: _ignored, ...siblings } = schema as JsonSchema;
    return { ...(inlineRefs(components[name], components) as JsonSchema), ...(inlineRefs(siblings, components) as JsonSchema) };
  }
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, inlineRefs(v, components)]));
}

function resolveRawResponse(raw: OpenApiDocument, response: ResponseObject): ResponseObject {
  if (!response.$ref) return response;
  const name = /^#\/components\/responses\/(.+)$/.exec(response.$ref)?.[1];
  const resolved = name ? raw.components?.responses?.[name] : undefined;
  if (!resolved) throw new Error(`unresolvable response $ref ${response.$ref}`);
  return resolved;
}

function tsIndex(...keys: string[]): string {
  return keys.map((k) => `[${JSON.stringify(k)}]`).join('');
}

export interface BodyValidatorSchemas {
  /** Validator name → the schema it is compiled from (open validators and closed twins). */
  validators: Record<string, unknown>;
  /** Validator name → the TypeScript type (in generated/types.ts) it guards. */
  typeOf: Record<string, string>;
  /** The open validators' schemas, stored in generated/schemas.json for schema pointers. */
  dereferenced: Record<string, unknown>;
}

/** The schemas of every body validator the manifest names, open and closed, and their stored form. */
export function bodyValidatorSchemas(raw: OpenApiDocument, manifest: Manifest): BodyValidatorSchemas {
  const components = raw.components?.schemas ?? {};
  const validators: Record<string, unknown> = {};
  const typeOf: Record<string, string> = {};
  const dereferenced: Record<string, unknown> = {};
  const add = (names: { validator: string; closedValidator?: string }, schema: unknown, type: string) => {
    const inlined = inlineRefs(schema, components);
    validators[names.validator] = transformSchema(inlined, OPEN);
    typeOf[names.validator] = type;
    dereferenced[names.validator] = transformSchema(inlined, STORED);
    if (names.closedValidator) {
      validators[names.closedValidator] = transformSchema(inlined, CLOSED_TWIN);
      typeOf[names.closedValidator] = type;
    }
  };

  for (const { path, method, operation } of operationsOf(raw.paths, '/paths')) {
    const op = manifest.operations.find((o) => o.operationId === operation.operationId);
    if (!op) continue;
    for (const [status, rawResponse] of Object.entries(operation.responses ?? {})) {
      const response = resolveRawResponse(raw, rawResponse);
      for (const [contentType, media] of Object.entries(response.content ?? {})) {
        const names = op.responses.find((r) => r.status === status)?.contents.find((c) => c.contentType === contentType);
        if (!names) throw new Error(`the manifest names no validator for ${op.key} ${status} ${contentType}`);
        add(names, media.schema, `paths${tsIndex(path, method, 'responses', status, 'content', contentType)}`);
      }
    }
    if (op.requestBody) {
      const media = operation.requestBody?.content?.[op.requestBody.contentType];
      const type = `NonNullable<paths${tsIndex(path, method, 'requestBody')}>${tsIndex('content', op.requestBody.contentType)}`;
      // Request bodies are closed in the spec itself: no twin.
      add({ validator: op.requestBody.validator }, media?.schema, type);
    }
  }
  for (const { path: name, operation } of operationsOf(raw.webhooks, '/webhooks')) {
    const schema = operation.requestBody?.content?.[JSON_CONTENT_TYPE]?.schema;
    for (const eventType of manifest.eventTypes.filter((e) => e.webhook === name)) {
      // One validator per event type: the family schema narrowed to this `type`.
      const narrowed = { type: 'object', allOf: [schema], properties: { type: { const: eventType.type } } };
      const type = `NonNullable<webhooks${tsIndex(name, 'post', 'requestBody')}>${tsIndex('content', JSON_CONTENT_TYPE)}`;
      add(eventType, narrowed, type);
    }
  }
  return { validators, typeOf, dereferenced };
}

/** One validator per operation over `{path, query, header}`, as the mock receives them. */
export function parameterValidatorSchemas(doc: OpenApiDocument, manifest: Manifest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { operation, pathItem } of operationsOf(doc.paths, '/paths')) {
    const op = manifest.operations.find((o) => o.operationId === operation.operationId);
    if (!op) continue;
    const group = (location: string) => {
      const params = mergedParameters(pathItem.parameters, operation).filter((p) => p.in === location);
      return {
        type: 'object',
        properties: Object.fromEntries(params.map((p) => [p.name, transformSchema(p.schema ?? {}, OPEN)])),
        required: params.filter((p) => p.required).map((p) => p.name),
      };
    };
    out[op.parametersValidator] = {
      type: 'object',
      required: ['path', 'query', 'header'],
      properties: { path: group('path'), query: group('query'), header: group('header') },
    };
  }
  return out;
}
