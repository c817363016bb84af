/** The parts of an OpenAPI 3.1 document the generator and the spec lint read. */

import type { ManifestReflection } from './manifest-types.js';

export type JsonSchema = { [key: string]: unknown };

export interface ParameterObject {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
  $ref?: string;
  /** The parameter's constraints are a reading of the pages, not what they say: why (findings on them are warnings). */
  'x-convention'?: string;
  /** The parameter takes effect only with these others (the page says so in prose). */
  'x-requires'?: string[];
}

export interface MediaTypeObject {
  schema?: JsonSchema;
}

export interface HeaderObject {
  required?: boolean;
  schema?: JsonSchema;
  $ref?: string;
}

export interface ResponseObject {
  $ref?: string;
  description?: string;
  /** The documented `type` of this status's problem document, as the examples show it. */
  'x-problem-type'?: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, MediaTypeObject>;
}

export interface OperationObject {
  operationId?: string;
  summary?: string;
  description?: string;
  security?: Record<string, string[]>[];
  parameters?: ParameterObject[];
  requestBody?: { $ref?: string; required?: boolean; content?: Record<string, MediaTypeObject> };
  responses?: Record<string, ResponseObject>;
  'x-pagination'?: {
    items: string;
    id: string;
    sort: Record<string, string>;
    dateFilter?: { field: string; start: string; end: string };
  };
  'x-resource-identity'?: { parameter: string; pointer: string }[];
  'x-reflects'?: ManifestReflection[];
  /** The documentation page(s) the operation was written from (seed file names and titles). */
  'x-source'?: string;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type LowerHttpMethod = (typeof HTTP_METHODS)[number];

export type PathItemObject = { parameters?: ParameterObject[] } & { [M in LowerHttpMethod]?: OperationObject };

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  security?: Record<string, string[]>[];
  paths?: Record<string, PathItemObject>;
  webhooks?: Record<string, PathItemObject>;
  components?: {
    schemas?: Record<string, JsonSchema>;
    responses?: Record<string, ResponseObject>;
    parameters?: Record<string, ParameterObject>;
    headers?: Record<string, HeaderObject>;
    securitySchemes?: Record<
      string,
      { type: string; flows?: { clientCredentials?: { tokenUrl: string; scopes: Record<string, string> } } }
    >;
  };
}

/** Escape one JSON pointer segment (RFC 6901). */
export function pointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Every operation of `paths` (or `webhooks`) with its method and the pointer to it. */
export function* operationsOf(
  items: Record<string, PathItemObject> | undefined,
  base: '/paths' | '/webhooks',
): Generator<{ path: string; method: LowerHttpMethod; operation: OperationObject; pointer: string; pathItem: PathItemObject }> {
  for (const [path, pathItem] of Object.entries(items ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (operation) yield { path, method, operation, pathItem, pointer: `${base}/${pointerSegment(path)}/${method}` };
    }
  }
}

/** The parameters of an operation: the path item's, overridden by the operation's of the same name and location. */
export function mergedParameters(pathItemParams: ParameterObject[] | undefined, operation: OperationObject): ParameterObject[] {
  const byKey = new Map<string, ParameterObject>();
  for (const p of [...(pathItemParams ?? []), ...(operation.parameters ?? [])]) byKey.set(`${p.in}:${p.name}`, p);
  return [...byKey.values()];
}
