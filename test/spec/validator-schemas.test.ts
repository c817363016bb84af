/**
 * The transform the validators' schemas go through (src/spec/validator-schemas.ts): one table,
 * each case an input schema, the options and the exact output. Every branch of the transform
 * has a case that fails when the branch is deleted, except `required` among the verbatim
 * keywords: its items are strings, which the recursion would return unchanged too.
 */
import { describe, expect, test } from 'vitest';
import type { JsonSchema, OpenApiDocument } from '../../src/spec/openapi-document.js';
import { buildManifest } from '../../src/spec/build-manifest.js';
import {
  bodyValidatorSchemas,
  CLOSED_TWIN,
  inlineRefs,
  OPEN,
  parameterValidatorSchemas,
  type SchemaTransformOptions,
  transformSchema,
} from '../../src/spec/validator-schemas.js';

const CLOSE_ONLY: SchemaTransformOptions = { close: true, lean: false };
const LEAN_ONLY: SchemaTransformOptions = { close: false, lean: true };

interface TransformCase {
  name: string;
  given: unknown;
  options: SchemaTransformOptions;
  want: unknown;
}

/** An object schema with the given properties. */
const object = (properties: JsonSchema, extra: JsonSchema = {}) => ({ type: 'object', properties, ...extra });
const closedObject = (properties: JsonSchema, extra: JsonSchema = {}) => ({ ...object(properties, extra), unevaluatedProperties: false });
const str = { type: 'string' };

/** Conditions with objects and content assertions inside: the transform must leave all of it as it is. */
const CONDITIONS = {
  if: object({ kind: { type: 'string', pattern: '^a$' } }),
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else, never awaited.
  then: object({ a: { type: 'string', format: 'uuid' }, nested: object({ x: str }) }, { required: ['a'] }),
  else: object({ b: { type: 'string', pattern: '^b' } }),
  not: object({ c: { type: 'string', format: 'email' } }, { required: ['c'] }),
};

const TRANSFORM_CASES: TransformCase[] = [
  { name: 'a boolean schema is returned as it is', given: false, options: CLOSED_TWIN, want: false },
  {
    name: 'a list of schemas is transformed item by item',
    given: [{ type: 'string', example: 'x' }, { type: 'null' }],
    options: OPEN,
    want: [str, { type: 'null' }],
  },
  {
    name: 'annotation-only keys (example, examples, x-*) are dropped; description and title stay',
    given: { type: 'string', description: 'd', title: 't', example: 'x', examples: ['x'], 'x-internal': true },
    options: OPEN,
    want: { type: 'string', description: 'd', title: 't' },
  },
  {
    name: 'open: format and pattern are kept, at every depth',
    given: { type: 'array', pattern: '^a', items: { type: 'string', format: 'uuid', minLength: 1 } },
    options: OPEN,
    want: { type: 'array', pattern: '^a', items: { type: 'string', format: 'uuid', minLength: 1 } },
  },
  {
    name: 'lean: format and pattern are dropped where they cannot decide a branch; other assertions stay',
    given: { type: 'string', format: 'uuid', pattern: '^a', minLength: 1 },
    options: LEAN_ONLY,
    want: { type: 'string', minLength: 1 },
  },
  {
    name: 'lean reaches into items and other plain subschemas',
    given: { type: 'array', items: { type: 'string', format: 'date' }, additionalItems: { type: 'string', pattern: '^x' } },
    options: LEAN_ONLY,
    want: { type: 'array', items: str, additionalItems: str },
  },
  {
    name: 'schema maps (properties, $defs, patternProperties, dependentSchemas): the names are kept, the values transformed',
    given: {
      type: 'object',
      properties: {
        example: { type: 'string', example: 'e' },
        'x-name': { type: 'string', 'x-a': 1 },
        format: { type: 'string', format: 'date' },
      },
      $defs: { examples: { type: 'string', examples: [] } },
      patternProperties: { 'x-.*': { type: 'string', pattern: '^p' } },
      dependentSchemas: { 'x-dep': { required: ['b'], 'x-d': 1 } },
    },
    options: LEAN_ONLY,
    want: {
      type: 'object',
      properties: { example: str, 'x-name': str, format: str },
      $defs: { examples: str },
      patternProperties: { 'x-.*': str },
      dependentSchemas: { 'x-dep': { required: ['b'] } },
    },
  },
  {
    name: 'default, const, enum and required are instances: copied verbatim, keys that look like annotations included',
    given: {
      type: 'object',
      default: { example: 1, 'x-a': 2, format: 'f', type: 'object', properties: {} },
      const: { examples: [1], pattern: 'p' },
      enum: [{ 'x-b': 1, format: 'g' }],
      required: ['example'],
    },
    options: CLOSED_TWIN,
    want: {
      type: 'object',
      default: { example: 1, 'x-a': 2, format: 'f', type: 'object', properties: {} },
      const: { examples: [1], pattern: 'p' },
      enum: [{ 'x-b': 1, format: 'g' }],
      required: ['example'],
    },
  },
  {
    name: 'a $ref is refused: schemas are inlined before they are transformed',
    given: object({ a: { $ref: '#/components/schemas/A' } }),
    options: OPEN,
    want: { throws: 'unexpected $ref #/components/schemas/A after inlining' },
  },
  {
    name: 'open: nothing is closed',
    given: object({ a: object({ b: str }) }),
    options: OPEN,
    want: object({ a: object({ b: str }) }),
  },
  {
    name: 'close: every object schema with properties gets unevaluatedProperties: false, nested ones and array items too',
    given: object({ a: object({ b: str }), list: { type: 'array', items: object({ c: str }) } }),
    options: CLOSE_ONLY,
    want: closedObject({ a: closedObject({ b: str }), list: { type: 'array', items: closedObject({ c: str }) } }),
  },
  {
    name: 'close: a nullable object (type ["object", "null"]) is closed',
    given: { type: ['object', 'null'], properties: { a: str } },
    options: CLOSE_ONLY,
    want: { type: ['object', 'null'], properties: { a: str }, unevaluatedProperties: false },
  },
  {
    name: 'close: an object without properties stays open',
    given: { type: 'object', minProperties: 1 },
    options: CLOSE_ONLY,
    want: { type: 'object', minProperties: 1 },
  },
  {
    name: 'close: properties without type object stay open (a fragment of some other schema)',
    given: { properties: { a: str }, required: ['a'] },
    options: CLOSE_ONLY,
    want: { properties: { a: str }, required: ['a'] },
  },
  {
    name: 'close: an object that says additionalProperties itself is left alone; the additionalProperties schema is closed',
    given: object({ a: str }, { additionalProperties: object({ x: str }) }),
    options: CLOSE_ONLY,
    want: object({ a: str }, { additionalProperties: closedObject({ x: str }) }),
  },
  {
    name: 'close: an object that says unevaluatedProperties itself is left alone',
    given: object({ a: str }, { unevaluatedProperties: { type: 'string' } }),
    options: CLOSE_ONLY,
    want: object({ a: str }, { unevaluatedProperties: { type: 'string' } }),
  },
  {
    name: 'allOf: the members stay open (they cannot see each other), the holder is closed; objects inside members are closed; lean goes on',
    given: { allOf: [object({ a: { type: 'string', format: 'uuid' } }), object({ b: object({ c: str }) })] },
    options: CLOSED_TWIN,
    want: { allOf: [object({ a: str }), object({ b: closedObject({ c: str }) })], unevaluatedProperties: false },
  },
  {
    name: 'allOf: the holder is closed when a nested allOf describes an object',
    given: { allOf: [{ allOf: [object({ a: str })] }] },
    options: CLOSE_ONLY,
    want: { allOf: [{ allOf: [object({ a: str })] }], unevaluatedProperties: false },
  },
  {
    name: 'allOf: a holder whose members describe no object stays open',
    given: { allOf: [{ type: 'string' }, { minLength: 1 }] },
    options: CLOSE_ONLY,
    want: { allOf: [{ type: 'string' }, { minLength: 1 }] },
  },
  {
    name: 'conditions (if, then, else, not) are never closed, nor is anything under them, and keep format and pattern',
    given: object({ kind: str }, CONDITIONS),
    options: CLOSED_TWIN,
    want: closedObject({ kind: str }, CONDITIONS),
  },
  {
    name: 'contains and propertyNames are conditions too: never closed, format and pattern kept',
    given: {
      type: 'array',
      contains: object({ id: { type: 'string', format: 'uuid' } }),
      items: { propertyNames: { pattern: '^[a-z]+$' } },
    },
    options: CLOSED_TWIN,
    want: {
      type: 'array',
      contains: object({ id: { type: 'string', format: 'uuid' } }),
      items: { propertyNames: { pattern: '^[a-z]+$' } },
    },
  },
  {
    name: 'oneOf: the branches are closed; format and pattern kept when the branches are not disjoint by type',
    given: { oneOf: [object({ a: { type: 'string', format: 'uuid' } }), object({ b: { type: 'string', pattern: '^b' } })] },
    options: CLOSED_TWIN,
    want: { oneOf: [closedObject({ a: { type: 'string', format: 'uuid' } }), closedObject({ b: { type: 'string', pattern: '^b' } })] },
  },
  {
    name: 'anyOf of one type twice: not disjoint, formats kept',
    given: {
      anyOf: [
        { type: 'string', format: 'date' },
        { type: 'string', format: 'date-time' },
      ],
    },
    options: CLOSED_TWIN,
    want: {
      anyOf: [
        { type: 'string', format: 'date' },
        { type: 'string', format: 'date-time' },
      ],
    },
  },
  {
    name: 'oneOf disjoint by type (the 3.1 nullable style): lean inside the branches',
    given: { oneOf: [object({ a: { type: 'string', format: 'uuid' } }), { type: 'null' }] },
    options: CLOSED_TWIN,
    want: { oneOf: [closedObject({ a: str }), { type: 'null' }] },
  },
  {
    name: 'anyOf disjoint by type lists: lean inside the branches',
    given: {
      anyOf: [
        { type: ['string', 'null'], pattern: '^x' },
        { type: 'number', minimum: 0 },
      ],
    },
    options: LEAN_ONLY,
    want: { anyOf: [{ type: ['string', 'null'] }, { type: 'number', minimum: 0 }] },
  },
  {
    name: 'integer and number overlap: not disjoint, pattern kept',
    given: { oneOf: [{ type: 'string', pattern: '^a' }, { type: 'integer' }, { type: 'number' }] },
    options: LEAN_ONLY,
    want: { oneOf: [{ type: 'string', pattern: '^a' }, { type: 'integer' }, { type: 'number' }] },
  },
  {
    name: 'a branch without a type: not disjoint, pattern kept',
    given: { anyOf: [{ type: 'string', pattern: '^a' }, { minLength: 2 }] },
    options: LEAN_ONLY,
    want: { anyOf: [{ type: 'string', pattern: '^a' }, { minLength: 2 }] },
  },
  {
    name: 'a condition under a disjoint oneOf turns lean off again',
    given: { oneOf: [{ type: 'string', not: { pattern: '^x' }, format: 'email' }, { type: 'null' }] },
    options: LEAN_ONLY,
    want: { oneOf: [{ type: 'string', not: { pattern: '^x' } }, { type: 'null' }] },
  },
];

describe('transformSchema', () => {
  test.for(TRANSFORM_CASES.map((c) => [c.name, c] as const))('%s', ([, { given, options, want }]) => {
    if (want && typeof want === 'object' && 'throws' in want) {
      expect(() => transformSchema(given, options)).toThrow(want.throws as string);
      return;
    }
    const before = structuredClone(given);
    expect(transformSchema(given, options)).toStrictEqual(want);
    // The input is never changed: the open and the closed twin are made from one inlined schema.
    expect(given).toStrictEqual(before);
  });
});

const COMPONENTS: Record<string, JsonSchema> = {
  Id: { type: 'string', format: 'uuid', description: 'an id' },
  Thing: { type: 'object', properties: { id: { $ref: '#/components/schemas/Id' } } },
};

const INLINE_CASES: { name: string; given: unknown; want: unknown }[] = [
  { name: 'a reference is replaced by the schema it names', given: { $ref: '#/components/schemas/Id' }, want: COMPONENTS.Id },
  {
    name: 'keywords beside a reference win over the named schema',
    given: { $ref: '#/components/schemas/Id', description: 'the thing' },
    want: { type: 'string', format: 'uuid', description: 'the thing' },
  },
  {
    name: 'references inside the named schema are inlined too',
    given: { $ref: '#/components/schemas/Thing' },
    want: { type: 'object', properties: { id: COMPONENTS.Id } },
  },
  {
    name: 'references inside siblings and inside lists are inlined too',
    given: {
      oneOf: [{ $ref: '#/components/schemas/Thing', properties: { other: { $ref: '#/components/schemas/Id' } } }, { type: 'null' }],
    },
    want: { oneOf: [{ type: 'object', properties: { other: COMPONENTS.Id } }, { type: 'null' }] },
  },
  {
    name: 'a property named $ref is not a reference',
    given: { type: 'object', properties: { $ref: { type: 'string' } } },
    want: { type: 'object', properties: { $ref: { type: 'string' } } },
  },
  {
    name: 'an unknown schema name is refused',
    given: { $ref: '#/components/schemas/Nope' },
    want: { throws: 'unsupported $ref #/components/schemas/Nope: only #/components/schemas refs may appear in schemas' },
  },
  {
    name: 'a reference outside components/schemas is refused',
    given: { items: { $ref: 'other.yaml#/X' } },
    want: { throws: 'unsupported $ref other.yaml#/X' },
  },
];

describe('inlineRefs', () => {
  test.for(INLINE_CASES.map((c) => [c.name, c] as const))('%s', ([, { given, want }]) => {
    if (want && typeof want === 'object' && 'throws' in want) {
      expect(() => inlineRefs(given, COMPONENTS)).toThrow(want.throws as string);
      return;
    }
    expect(inlineRefs(given, COMPONENTS)).toStrictEqual(want);
  });
});

/** A raw (not dereferenced) document: one GET with a response $ref, one POST with a body, one webhook. */
const RAW: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'Fragment', version: '1' },
  components: {
    schemas: {
      Thing: { type: 'object', properties: { id: { type: 'string', format: 'uuid', example: 'x' } } },
      Problem: { type: 'object', properties: { type: { type: 'string' } } },
    },
    responses: {
      NotFound: { description: 'nf', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
    },
    securitySchemes: {
      'oauth-client-credentials': { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://t.example/token', scopes: {} } } },
    },
  },
  paths: {
    '/things/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid', 'x-note': 'n' } }],
      get: {
        operationId: 'getThing',
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', default: 10, example: 3 } }],
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          '404': { $ref: '#/components/responses/NotFound' },
        },
      },
    },
    '/things': {
      post: {
        operationId: 'makeThing',
        requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { n: { type: 'string' } } } } } },
        responses: { '200': { description: 'ok' } },
      },
    },
  },
  webhooks: {
    thingEvent: {
      post: {
        requestBody: {
          content: {
            'application/json': {
              schema: object({ type: { enum: ['THING.NEW', 'THING.GONE'] }, object: { $ref: '#/components/schemas/Thing' } }),
            },
          },
        },
        responses: { '200': { description: 'ok' } },
      },
    },
  },
};

/** The same document as swagger-parser dereferences it (what buildManifest reads). */
function dereferenced(doc: OpenApiDocument): OpenApiDocument {
  const schemas = doc.components?.schemas ?? {};
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/components/responses/'))
      return walk(doc.components?.responses?.[ref.split('/').pop()!]);
    if (typeof ref === 'string') return walk(inlineRefs(value, schemas));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
  };
  return walk(doc) as OpenApiDocument;
}

describe('the validators of a document', () => {
  const manifest = buildManifest(dereferenced(RAW), 'header');
  const thing = object({ id: { type: 'string', format: 'uuid' } });
  const event = (type: string) => ({
    type: 'object',
    allOf: [object({ type: { enum: ['THING.NEW', 'THING.GONE'] }, object: thing })],
    properties: { type: { const: type } },
  });
  const closedEvent = (type: string) => ({
    type: 'object',
    allOf: [object({ type: { enum: ['THING.NEW', 'THING.GONE'] }, object: closedObject({ id: str }) })],
    properties: { type: { const: type } },
    unevaluatedProperties: false,
  });

  test('every body validator the manifest names: responses and events with a closed twin, request bodies without', () => {
    const { validators, typeOf, dereferenced: stored } = bodyValidatorSchemas(RAW, manifest);
    expect(validators).toStrictEqual({
      response_getThing_200_json: thing,
      response_getThing_200_json_closed: closedObject({ id: str }),
      response_getThing_404_problem_json: object({ type: str }),
      response_getThing_404_problem_json_closed: closedObject({ type: str }),
      request_makeThing_json: object({ n: str }),
      event_THING_NEW: event('THING.NEW'),
      event_THING_NEW_closed: closedEvent('THING.NEW'),
      event_THING_GONE: event('THING.GONE'),
      event_THING_GONE_closed: closedEvent('THING.GONE'),
    });
    expect(typeOf).toStrictEqual({
      response_getThing_200_json: 'paths["/things/{id}"]["get"]["responses"]["200"]["content"]["application/json"]',
      response_getThing_200_json_closed: 'paths["/things/{id}"]["get"]["responses"]["200"]["content"]["application/json"]',
      response_getThing_404_problem_json: 'paths["/things/{id}"]["get"]["responses"]["404"]["content"]["application/problem+json"]',
      response_getThing_404_problem_json_closed: 'paths["/things/{id}"]["get"]["responses"]["404"]["content"]["application/problem+json"]',
      request_makeThing_json: 'NonNullable<paths["/things"]["post"]["requestBody"]>["content"]["application/json"]',
      event_THING_NEW: 'NonNullable<webhooks["thingEvent"]["post"]["requestBody"]>["content"]["application/json"]',
      event_THING_NEW_closed: 'NonNullable<webhooks["thingEvent"]["post"]["requestBody"]>["content"]["application/json"]',
      event_THING_GONE: 'NonNullable<webhooks["thingEvent"]["post"]["requestBody"]>["content"]["application/json"]',
      event_THING_GONE_closed: 'NonNullable<webhooks["thingEvent"]["post"]["requestBody"]>["content"]["application/json"]',
    });
    // generated/schemas.json stores the open schemas only, as compiled: the ones failures point into.
    expect(stored).toStrictEqual({
      response_getThing_200_json: thing,
      response_getThing_404_problem_json: object({ type: str }),
      request_makeThing_json: object({ n: str }),
      event_THING_NEW: event('THING.NEW'),
      event_THING_GONE: event('THING.GONE'),
    });
  });

  test('one parameters validator per operation over {path, query, header}, path-level parameters included', () => {
    expect(parameterValidatorSchemas(dereferenced(RAW), manifest)).toStrictEqual({
      parameters_getThing: {
        type: 'object',
        required: ['path', 'query', 'header'],
        properties: {
          path: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] },
          query: { type: 'object', properties: { limit: { type: 'integer', default: 10 } }, required: [] },
          header: { type: 'object', properties: {}, required: [] },
        },
      },
      parameters_makeThing: {
        type: 'object',
        required: ['path', 'query', 'header'],
        properties: {
          path: { type: 'object', properties: {}, required: [] },
          query: { type: 'object', properties: {}, required: [] },
          header: { type: 'object', properties: {}, required: [] },
        },
      },
    });
  });
});
