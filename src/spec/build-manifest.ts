/**
 * Generation-time logic: turns the dereferenced authored spec into the manifest (operations,
 * parameters, responses, pagination, enums, resource identity, webhooks) and names the
 * validators; src/spec/validator-schemas.ts prepares their schemas. Used only by scripts/generate.ts.
 */
import { mergedParameters, operationsOf, pointerSegment, type JsonSchema, type OpenApiDocument } from './openapi-document.js';
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

/** The closed twin of a validator: same schema, undocumented properties rejected. */
const closedValidatorName = (name: string) => `${name}_closed`;

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
        return { contentType, validator, closedValidator: closedValidatorName(validator) };
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
      eventTypes.push({ type, webhook: name, validator, closedValidator: closedValidatorName(validator) });
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
