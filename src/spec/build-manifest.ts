/**
 * Generation-time logic: turns the authored spec into the manifest and into the schemas the
 * AJV standalone validators are compiled from. Used only by scripts/generate.ts.
 */
import {
  operationsOf,
  pointerSegment,
  type JsonSchema,
  type OpenApiDocument,
  type OperationObject,
  type ParameterObject,
  type ResponseObject,
} from './openapi-document.js';
import type { HttpMethod, Manifest, ManifestEnum, ManifestOperation, ManifestParameter, ParameterConstraints } from './manifest-types.js';
import { JSON_CONTENT_TYPE } from './lint.js';

const SECURITY_SCHEME = 'oauth-client-credentials';

/** `application/problem+json` → `problem_json`: content types as identifier fragments. */
export function contentTypeSlug(contentType: string): string {
  return contentType.replace(/^application\//, '').replace(/[^A-Za-z0-9]+/g, '_');
}

export function responseValidatorName(operationId: string, status: string, contentType: string): string {
  return `response_${operationId}_${status}_${contentTypeSlug(contentType)}`;
}

export function eventValidatorName(eventType: string): string {
  return `event_${eventType.replace(/[^A-Za-z0-9]+/g, '_')}`;
}

const CONDITION_KEYWORDS = new Set(['if', 'then', 'else', 'not', 'contains', 'propertyNames']);

const closed = (name: string) => `${name}_closed`;

/** Keys that are not validation keywords: dropped so AJV strict mode stays on. */
function isAnnotationOnly(key: string): boolean {
  return key === 'example' || key === 'examples' || key.startsWith('x-');
}

/** Keywords whose subschemas may fail while the whole still passes: the outcome there decides. */
const DECIDING_KEYWORDS = new Set(['oneOf', 'anyOf', ...CONDITION_KEYWORDS]);
/** Assertions on a value's content that never change which properties are evaluated. */
const CONTENT_ASSERTIONS = new Set(['format', 'pattern']);

interface Preparation {
  /** Add `unevaluatedProperties: false` to object schemas: the "closed" twin. */
  close: boolean;
  /**
   * Drop content assertions where they cannot decide anything: the closed twin only runs on a
   * body the open validator accepted, so there they would only repeat its work (formats and
   * patterns are most of a large page's validation time). Kept under oneOf/anyOf/if/not/contains,
   * where a failing assertion chooses a branch and so which properties count as evaluated.
   */
  lean: boolean;
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

/**
 * Copy an inlined spec schema for AJV without annotation-only keys. Schemas are inlined (no
 * $ref) so that an AJV `schemaPath` is a pointer into the validator's own schema, as stored in
 * generated/schemas.json.
 */
function prepareSchema(schema: unknown, how: Preparation, closeSelf = true): unknown {
  if (Array.isArray(schema)) return schema.map((item) => prepareSchema(item, how));
  if (schema === null || typeof schema !== 'object') return schema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (isAnnotationOnly(key)) continue;
    if (how.lean && CONTENT_ASSERTIONS.has(key)) continue;
    if (key === '$ref') throw new Error(`unexpected $ref ${String(value)} after inlining`);
    if (key === 'properties' || key === '$defs' || key === 'patternProperties' || key === 'dependentSchemas') {
      out[key] = Object.fromEntries(Object.entries(value as JsonSchema).map(([k, v]) => [k, prepareSchema(v, how)]));
      continue;
    }
    if (key === 'default' || key === 'const' || key === 'enum' || key === 'required') {
      out[key] = value;
      continue;
    }
    if (key === 'allOf') {
      // unevaluatedProperties inside one allOf member cannot see its siblings' properties:
      // members stay open themselves and the schema holding the allOf is closed instead.
      out[key] = (value as unknown[]).map((member) => prepareSchema(member, how, false));
      continue;
    }
    out[key] = prepareSchema(value, {
      // Conditions (if/then/else/not) describe fragments of the instance: closing them would reject the rest.
      close: how.close && !CONDITION_KEYWORDS.has(key),
      lean: how.lean && (!DECIDING_KEYWORDS.has(key) || branchesDisjointByType(value)),
    });
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

function describesObjectProperties(schema: JsonSchema): boolean {
  const declaresObject = schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object'));
  if (declaresObject && schema.properties) return true;
  return Array.isArray(schema.allOf) && schema.allOf.some((member) => describesObjectProperties(member as JsonSchema));
}

function stripAnnotations(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(stripAnnotations);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => !isAnnotationOnly(key))
      .map(([key, value]) => [
        key,
        key === 'properties'
          ? Object.fromEntries(Object.entries(value as JsonSchema).map(([k, v]) => [k, stripAnnotations(v)]))
          : stripAnnotations(value),
      ]),
  );
}

function constraintsOf(schema: JsonSchema | undefined): ParameterConstraints {
  const constraints: ParameterConstraints = {};
  if (!schema) return constraints;
  if (typeof schema.type === 'string') constraints.type = schema.type;
  if (typeof schema.format === 'string') constraints.format = schema.format;
  if (typeof schema.pattern === 'string') constraints.pattern = schema.pattern;
  if (Array.isArray(schema.enum)) constraints.enum = schema.enum as (string | number)[];
  if (typeof schema.minimum === 'number') constraints.minimum = schema.minimum;
  if (typeof schema.maximum === 'number') constraints.maximum = schema.maximum;
  if (schema.default !== undefined) constraints.default = schema.default;
  return constraints;
}

function mergedParameters(pathItemParams: ParameterObject[] | undefined, operation: OperationObject): ParameterObject[] {
  const byKey = new Map<string, ParameterObject>();
  for (const p of [...(pathItemParams ?? []), ...(operation.parameters ?? [])]) byKey.set(`${p.in}:${p.name}`, p);
  return [...byKey.values()];
}

/** Walk a dereferenced body schema and list every `enum` with the instance pointer it constrains. */
export function collectEnums(schema: unknown, pointer = '', out: { pointer: string; values: (string | number)[] }[] = []) {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return out;
  const s = schema as JsonSchema;
  if (Array.isArray(s.enum)) out.push({ pointer: pointer || '/', values: s.enum as (string | number)[] });
  for (const [name, sub] of Object.entries((s.properties as JsonSchema | undefined) ?? {}))
    collectEnums(sub, `${pointer}/${pointerSegment(name)}`, out);
  if (s.items) collectEnums(s.items, `${pointer}/*`, out);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    for (const sub of (s[key] as unknown[] | undefined) ?? []) collectEnums(sub, pointer, out);
  }
  return out;
}

function addEnums(target: ManifestEnum[], schema: unknown, scope: ManifestEnum['scope']) {
  const merged = new Map<string, (string | number)[]>();
  for (const { pointer, values } of collectEnums(schema)) {
    const known = merged.get(pointer) ?? [];
    merged.set(pointer, [...known, ...values.filter((v) => !known.includes(v))]);
  }
  for (const [pointer, values] of merged) target.push({ pointer, values, scope });
}

function resolveRawResponse(raw: OpenApiDocument, response: ResponseObject): ResponseObject {
  if (!response.$ref) return response;
  const name = /^#\/components\/responses\/(.+)$/.exec(response.$ref)?.[1];
  const resolved = name ? raw.components?.responses?.[name] : undefined;
  if (!resolved) throw new Error(`unresolvable response $ref ${response.$ref}`);
  return resolved;
}

export function buildManifest(doc: OpenApiDocument, header: string): Manifest {
  const scheme = doc.components?.securitySchemes?.[SECURITY_SCHEME];
  const flow = scheme?.flows?.clientCredentials;
  if (!flow) throw new Error(`the spec must define the ${SECURITY_SCHEME} scheme with a clientCredentials flow`);

  const operations: ManifestOperation[] = [];
  const enums: ManifestEnum[] = [];
  const paths = new Map<string, HttpMethod[]>();

  for (const { path, method, operation, pathItem } of operationsOf(doc.paths, '/paths')) {
    const operationId = operation.operationId as string;
    const upper = method.toUpperCase() as HttpMethod;
    paths.set(path, [...(paths.get(path) ?? []), upper]);
    const parameters: ManifestParameter[] = mergedParameters(pathItem.parameters, operation).map((p) => ({
      name: p.name,
      in: p.in as ManifestParameter['in'],
      required: Boolean(p.required),
      ...(p.description ? { description: p.description } : {}),
      constraints: constraintsOf(p.schema),
      ...(p['x-convention'] ? { convention: p['x-convention'] } : {}),
      ...(p['x-requires'] ? { requires: p['x-requires'] } : {}),
    }));
    const security = operation.security ?? doc.security ?? [];
    const scopes = security.map((requirement) => requirement[SECURITY_SCHEME] ?? []).filter((set) => set.length > 0);
    const responses = Object.entries(operation.responses ?? {}).map(([status, response]) => {
      const contents = Object.keys(response.content ?? {}).map((contentType) => {
        const validator = responseValidatorName(operationId, status, contentType);
        addEnums(enums, response.content?.[contentType]?.schema, { kind: 'response', operationId, status, contentType });
        return { contentType, validator, closedValidator: closed(validator) };
      });
      const headers = Object.entries(response.headers ?? {}).map(([name, h]) => ({
        name,
        required: Boolean(h.required),
        constraints: constraintsOf(h.schema),
      }));
      return {
        status,
        description: response.description ?? '',
        ...(response['x-problem-type'] ? { problemType: response['x-problem-type'] } : {}),
        contents,
        headers,
      };
    });
    const bodySchema = operation.requestBody?.content?.[JSON_CONTENT_TYPE]?.schema;
    const entry: ManifestOperation = {
      key: `${upper} ${path}`,
      operationId,
      method: upper,
      path,
      summary: operation.summary ?? '',
      scopes,
      parameters,
      parametersValidator: `parameters_${operationId}`,
      responses,
      resourceIdentity: operation['x-resource-identity'] ?? [],
      ...(operation['x-source'] ? { source: operation['x-source'] } : {}),
      ...(operation['x-reflects'] ? { reflects: operation['x-reflects'] } : {}),
    };
    if (bodySchema) {
      entry.requestBody = {
        required: Boolean(operation.requestBody?.required),
        contentType: JSON_CONTENT_TYPE,
        validator: `request_${operationId}_${contentTypeSlug(JSON_CONTENT_TYPE)}`,
        oneOfBranches: Array.isArray(bodySchema.oneOf) ? bodySchema.oneOf.length : 0,
      };
    }
    if (operation['x-pagination']) entry.pagination = operation['x-pagination'];
    operations.push(entry);
  }

  const webhooks: Manifest['webhooks'] = [];
  const eventTypes: Manifest['eventTypes'] = [];
  for (const { path: name, operation } of operationsOf(doc.webhooks, '/webhooks')) {
    const schema = operation.requestBody?.content?.[JSON_CONTENT_TYPE]?.schema as JsonSchema;
    const types = ((schema.properties as Record<string, { enum: string[] }>).type.enum ?? []).slice();
    webhooks.push({
      name,
      summary: operation.summary ?? '',
      eventTypes: types,
      ...(operation['x-source'] ? { source: operation['x-source'] } : {}),
    });
    for (const type of types) {
      const validator = eventValidatorName(type);
      eventTypes.push({ type, webhook: name, validator, closedValidator: closed(validator) });
    }
    addEnums(enums, schema, { kind: 'webhook', webhook: name });
  }

  // Fields of a problem document the documentation holds constant for one value of another field.
  const problemProperties = (doc.components?.schemas?.Problem as JsonSchema | undefined)?.properties as
    | Record<string, { 'x-same-for'?: string; 'x-source'?: string }>
    | undefined;
  const sameFor = Object.entries(problemProperties ?? {}).flatMap(([field, property]) =>
    property['x-same-for']
      ? [{ field, per: property['x-same-for'], ...(property['x-source'] ? { source: property['x-source'] } : {}) }]
      : [],
  );

  return {
    $comment: header,
    spec: { title: doc.info.title, version: doc.info.version, openapi: doc.openapi },
    security: { scheme: SECURITY_SCHEME, tokenUrl: flow.tokenUrl, scopes: Object.keys(flow.scopes) },
    paths: [...paths].map(([path, methods]) => ({ path, methods })),
    operations,
    webhooks,
    eventTypes,
    enums,
    problem: { sameFor },
  };
}

function tsIndex(...keys: string[]): string {
  return keys.map((k) => `[${JSON.stringify(k)}]`).join('');
}

/** The schemas of every body validator, open and closed, and their stored (inlined) form. */
export function bodyValidatorSchemas(raw: OpenApiDocument, manifest: Manifest) {
  const rawSchemas = raw.components?.schemas ?? {};
  const validators: Record<string, unknown> = {};
  const typeOf: Record<string, string> = {};
  const dereferenced: Record<string, unknown> = {};
  const inline = (schema: unknown): unknown => {
    // The slice has no recursive schema, so every components ref can be inlined.
    if (Array.isArray(schema)) return schema.map(inline);
    if (schema === null || typeof schema !== 'object') return schema;
    const ref = (schema as JsonSchema).$ref;
    if (typeof ref === 'string') {
      const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
      if (!name || !rawSchemas[name]) throw new Error(`unsupported $ref ${ref}: only #/components/schemas refs may appear in schemas`);
      const { $ref: _ignored, ...siblings } = schema as JsonSchema;
      return { ...(inline(rawSchemas[name]) as JsonSchema), ...(inline(siblings) as JsonSchema) };
    }
    return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, inline(v)]));
  };
  const add = (name: string, schema: unknown, type: string, withClosedTwin: boolean) => {
    const inlined = inline(schema);
    validators[name] = prepareSchema(inlined, { close: false, lean: false });
    typeOf[name] = type;
    dereferenced[name] = validators[name];
    if (withClosedTwin) {
      validators[closed(name)] = prepareSchema(inlined, { close: true, lean: true });
      typeOf[closed(name)] = type;
    }
  };

  for (const { path, method, operation } of operationsOf(raw.paths, '/paths')) {
    const op = manifest.operations.find((o) => o.operationId === operation.operationId);
    if (!op) continue;
    for (const [status, rawResponse] of Object.entries(operation.responses ?? {})) {
      const response = resolveRawResponse(raw, rawResponse);
      for (const [contentType, media] of Object.entries(response.content ?? {})) {
        const type = `paths${tsIndex(path, method, 'responses', status, 'content', contentType)}`;
        add(responseValidatorName(op.operationId, status, contentType), media.schema, type, true);
      }
    }
    if (op.requestBody) {
      const media = operation.requestBody?.content?.[op.requestBody.contentType];
      const type = `NonNullable<paths${tsIndex(path, method, 'requestBody')}>${tsIndex('content', op.requestBody.contentType)}`;
      // Request bodies are closed in the spec itself: no twin.
      add(op.requestBody.validator, media?.schema, type, false);
    }
  }
  for (const { path: name, operation } of operationsOf(raw.webhooks, '/webhooks')) {
    const schema = operation.requestBody?.content?.[JSON_CONTENT_TYPE]?.schema;
    const webhook = manifest.webhooks.find((w) => w.name === name);
    for (const eventType of webhook?.eventTypes ?? []) {
      // One validator per event type: the family schema narrowed to this `type`.
      const narrowed = { type: 'object', allOf: [schema], properties: { type: { const: eventType } } };
      const type = `NonNullable<webhooks${tsIndex(name, 'post', 'requestBody')}>${tsIndex('content', JSON_CONTENT_TYPE)}`;
      add(eventValidatorName(eventType), narrowed, type, true);
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
        properties: Object.fromEntries(params.map((p) => [p.name, stripAnnotations(p.schema ?? {})])),
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
