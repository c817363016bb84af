/**
 * What the manifest builder derives from the (dereferenced) spec, on small hand-made OpenAPI
 * fragments: given a fragment, want the exact derived part of the manifest. The manifest of the
 * real spec is checked in manifest.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { buildManifest } from '../../src/spec/build-manifest.js';
import type { Manifest } from '../../src/spec/manifest-types.js';
import type { JsonSchema, OpenApiDocument, OperationObject, PathItemObject } from '../../src/spec/openapi-document.js';

const SCHEME = 'oauth-client-credentials';

function openapi(parts: Partial<OpenApiDocument> = {}): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: { title: 'Fragment', version: '9.9' },
    components: {
      securitySchemes: {
        [SCHEME]: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: 'https://t.example/token', scopes: { 'a:read': '', 'a:admin': '' } } },
        },
      },
    },
    ...parts,
  };
}

/** A document with one GET /things/{id} operation (plus the path item's own keys). */
function withOperation(operation: Partial<OperationObject>, pathItem: Partial<PathItemObject> = {}, doc: Partial<OpenApiDocument> = {}) {
  return openapi({ ...doc, paths: { '/things/{id}': { ...pathItem, get: { operationId: 'getThing', ...operation } } } });
}

const onlyOperation = (m: Manifest) => m.operations[0];

interface ManifestCase {
  name: string;
  given: OpenApiDocument;
  derive: (m: Manifest) => unknown;
  want: unknown;
}

const json = (schema: JsonSchema) => ({ content: { 'application/json': { schema } } });

const CASES: ManifestCase[] = [
  {
    name: 'parameter constraints: type, format, pattern, enum, minimum, maximum and default flattened; other keywords left out',
    given: withOperation({
      parameters: [
        {
          name: 'limit',
          in: 'query',
          description: 'How many',
          schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 1000, default: 100, multipleOf: 2, example: 5 },
        },
        { name: 'order', in: 'query', required: true, schema: { type: 'string', pattern: '^[A-Z]+$', enum: ['ASC', 'DESC'] } },
        { name: 'flag', in: 'header', schema: { type: ['string', 'null'], default: false, minimum: '5' } },
        { name: 'bare', in: 'query' },
      ],
    }),
    derive: (m) => onlyOperation(m).parameters,
    want: [
      {
        name: 'limit',
        in: 'query',
        required: false,
        description: 'How many',
        constraints: { type: 'integer', format: 'int32', minimum: 0, maximum: 1000, default: 100 },
      },
      { name: 'order', in: 'query', required: true, constraints: { type: 'string', pattern: '^[A-Z]+$', enum: ['ASC', 'DESC'] } },
      { name: 'flag', in: 'header', required: false, constraints: { default: false } },
      { name: 'bare', in: 'query', required: false, constraints: {} },
    ],
  },
  {
    name: "the path item's parameters come first; an operation's parameter of the same name and place replaces it",
    given: withOperation(
      {
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          { name: 'id', in: 'query', schema: { type: 'string' } },
        ],
      },
      {
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'upvest-client-id', in: 'header', required: true, schema: { type: 'string' } },
        ],
      },
    ),
    derive: (m) => onlyOperation(m).parameters.map((p) => `${p.in}:${p.name}:${p.constraints.format ?? '-'}`),
    want: ['path:id:uuid', 'header:upvest-client-id:-', 'query:id:-'],
  },
  {
    name: 'scopes: one alternative set per security requirement, in order',
    given: withOperation({ security: [{ [SCHEME]: ['a:read'] }, { [SCHEME]: ['a:admin', 'a:read'] }] }),
    derive: (m) => onlyOperation(m).scopes,
    want: [['a:read'], ['a:admin', 'a:read']],
  },
  {
    name: 'scopes: requirements of other schemes and empty scope lists are left out; other schemes beside ours are ignored',
    given: withOperation({ security: [{ mtls: ['x'] }, { [SCHEME]: [] }, { [SCHEME]: ['a:read'], mtls: [] }] }),
    derive: (m) => onlyOperation(m).scopes,
    want: [['a:read']],
  },
  {
    name: "scopes: the document's security applies when the operation has none",
    given: withOperation({}, {}, { security: [{ [SCHEME]: ['a:admin'] }] }),
    derive: (m) => onlyOperation(m).scopes,
    want: [['a:admin']],
  },
  {
    name: "scopes: an operation's empty security overrides the document's",
    given: withOperation({ security: [] }, {}, { security: [{ [SCHEME]: ['a:admin'] }] }),
    derive: (m) => onlyOperation(m).scopes,
    want: [],
  },
  {
    name: 'responses: per status its description, problem type, validators (open and closed) and headers',
    given: withOperation({
      responses: {
        '200': {
          description: 'ok',
          headers: { 'upvest-request-id': { required: true, schema: { type: 'string', format: 'uuid' } }, 'x-rate': { schema: {} } },
          ...json({ type: 'object' }),
        },
        '404': {
          description: 'not found',
          'x-problem-type': 'not_found',
          content: { 'application/problem+json': { schema: {} }, 'text/plain; charset=utf-8': { schema: {} } },
        },
        '204': {},
      },
    }),
    derive: (m) => onlyOperation(m).responses,
    want: [
      {
        status: '200',
        description: 'ok',
        contents: [
          {
            contentType: 'application/json',
            validator: 'response_getThing_200_json',
            closedValidator: 'response_getThing_200_json_closed',
          },
        ],
        headers: [
          { name: 'upvest-request-id', required: true, constraints: { type: 'string', format: 'uuid' } },
          { name: 'x-rate', required: false, constraints: {} },
        ],
      },
      { status: '204', description: '', contents: [], headers: [] },
      {
        status: '404',
        description: 'not found',
        problemType: 'not_found',
        contents: [
          {
            contentType: 'application/problem+json',
            validator: 'response_getThing_404_problem_json',
            closedValidator: 'response_getThing_404_problem_json_closed',
          },
          {
            contentType: 'text/plain; charset=utf-8',
            validator: 'response_getThing_404_text_plain_charset_utf_8',
            closedValidator: 'response_getThing_404_text_plain_charset_utf_8_closed',
          },
        ],
        headers: [],
      },
    ],
  },
  {
    name: 'pagination is taken from x-pagination as written',
    given: withOperation({
      'x-pagination': { items: '/data', id: '/id', sort: { created_at: '/created_at' }, dateFilter: { field: '/d', start: 's', end: 'e' } },
    }),
    derive: (m) => onlyOperation(m).pagination,
    want: { items: '/data', id: '/id', sort: { created_at: '/created_at' }, dateFilter: { field: '/d', start: 's', end: 'e' } },
  },
  {
    name: 'no x-pagination, no pagination; no x-resource-identity, no identity to check',
    given: withOperation({}),
    derive: (m) => [Object.hasOwn(onlyOperation(m), 'pagination'), onlyOperation(m).resourceIdentity],
    want: [false, []],
  },
  {
    name: 'resource identity is taken from x-resource-identity as written',
    given: withOperation({
      'x-resource-identity': [
        { parameter: 'id', pointer: '/id' },
        { parameter: 'id', pointer: '/data/*/thing_id' },
      ],
    }),
    derive: (m) => onlyOperation(m).resourceIdentity,
    want: [
      { parameter: 'id', pointer: '/id' },
      { parameter: 'id', pointer: '/data/*/thing_id' },
    ],
  },
  {
    name: 'a JSON request body: required, its validator and the number of oneOf branches',
    given: withOperation({ requestBody: { required: true, ...json({ oneOf: [{ type: 'object' }, { type: 'object' }] }) } }),
    derive: (m) => onlyOperation(m).requestBody,
    want: { required: true, contentType: 'application/json', validator: 'request_getThing_json', oneOfBranches: 2 },
  },
  {
    name: 'a request body without oneOf has no branches and is optional unless required',
    given: withOperation({ requestBody: json({ type: 'object' }) }),
    derive: (m) => onlyOperation(m).requestBody,
    want: { required: false, contentType: 'application/json', validator: 'request_getThing_json', oneOfBranches: 0 },
  },
  {
    name: 'a request body that is not JSON is not described',
    given: withOperation({ requestBody: { content: { 'text/csv': { schema: {} } } } }),
    derive: (m) => Object.hasOwn(onlyOperation(m), 'requestBody'),
    want: false,
  },
  {
    name: 'operation identity: key, method, path, summary, parameters validator',
    given: withOperation({ summary: 'Get a thing' }),
    derive: ({ operations: [op] }) => [op.key, op.method, op.path, op.summary, op.parametersValidator],
    want: ['GET /things/{id}', 'GET', '/things/{id}', 'Get a thing', 'parameters_getThing'],
  },
  {
    name: 'enums: a pointer per constrained place, `*` for array items, segments escaped, the root as /',
    given: withOperation({
      responses: {
        '200': {
          description: 'ok',
          ...json({
            type: 'object',
            properties: {
              status: { enum: ['A', 'B'] },
              data: { type: 'array', items: { properties: { kind: { enum: ['X'] }, 'a/b~c': { enum: [1, 2] } } } },
              grid: { items: { items: { enum: ['deep'] } } },
            },
          }),
        },
        '400': { description: 'bad', content: { 'application/problem+json': { schema: { enum: ['root'] } } } },
      },
    }),
    derive: (m) => m.enums,
    want: [
      {
        pointer: '/status',
        values: ['A', 'B'],
        scope: { kind: 'response', operationId: 'getThing', status: '200', contentType: 'application/json' },
      },
      {
        pointer: '/data/*/kind',
        values: ['X'],
        scope: { kind: 'response', operationId: 'getThing', status: '200', contentType: 'application/json' },
      },
      {
        pointer: '/data/*/a~1b~0c',
        values: [1, 2],
        scope: { kind: 'response', operationId: 'getThing', status: '200', contentType: 'application/json' },
      },
      {
        pointer: '/grid/*/*',
        values: ['deep'],
        scope: { kind: 'response', operationId: 'getThing', status: '200', contentType: 'application/json' },
      },
      {
        pointer: '/',
        values: ['root'],
        scope: { kind: 'response', operationId: 'getThing', status: '400', contentType: 'application/problem+json' },
      },
    ],
  },
  {
    name: 'enums: one entry per pointer, the values of allOf, anyOf and oneOf branches merged without repeats',
    given: withOperation({
      responses: {
        '200': {
          description: 'ok',
          ...json({
            properties: { status: { enum: ['A', 'B'] } },
            allOf: [{ properties: { status: { enum: ['B', 'C'] } } }],
            anyOf: [{ properties: { status: { enum: ['D'] } } }],
            oneOf: [{ properties: { status: { enum: ['A', 'E'] } } }, { properties: { other: { enum: [true] } } }],
          }),
        },
      },
    }),
    derive: (m) => m.enums.map((e) => [e.pointer, e.values]),
    want: [
      ['/status', ['A', 'B', 'C', 'D', 'E']],
      ['/other', [true]],
    ],
  },
  {
    name: 'webhooks: the event types from the family schema, a validator pair per type, enums scoped to the webhook',
    given: openapi({
      webhooks: {
        thingEvent: {
          post: {
            summary: 'Thing events',
            requestBody: json({
              type: 'object',
              properties: { type: { enum: ['THING.NEW', 'THING.GONE'] }, object: { properties: { s: { enum: ['ON'] } } } },
            }),
          },
        },
      },
    }),
    derive: ({ webhooks, eventTypes, enums }) => ({ webhooks, eventTypes, enums }),
    want: {
      webhooks: [{ name: 'thingEvent', summary: 'Thing events', eventTypes: ['THING.NEW', 'THING.GONE'] }],
      eventTypes: [
        { type: 'THING.NEW', webhook: 'thingEvent', validator: 'event_THING_NEW', closedValidator: 'event_THING_NEW_closed' },
        { type: 'THING.GONE', webhook: 'thingEvent', validator: 'event_THING_GONE', closedValidator: 'event_THING_GONE_closed' },
      ],
      enums: [
        { pointer: '/type', values: ['THING.NEW', 'THING.GONE'], scope: { kind: 'webhook', webhook: 'thingEvent' } },
        { pointer: '/object/s', values: ['ON'], scope: { kind: 'webhook', webhook: 'thingEvent' } },
      ],
    },
  },
  {
    name: 'parameters: x-convention (a rule read outside the page) and x-requires (another parameter it needs) are carried over',
    given: withOperation({
      parameters: [
        { name: 'sort', in: 'query', schema: { type: 'string' } },
        { name: 'order', in: 'query', schema: { type: 'string' }, 'x-requires': ['sort'] },
        { name: 'start_date', in: 'query', schema: { type: 'string', format: 'date' }, 'x-convention': 'format read from another page' },
      ],
    }),
    derive: (m) => onlyOperation(m).parameters.map(({ name, convention, requires }) => ({ name, convention, requires })),
    want: [
      { name: 'sort', convention: undefined, requires: undefined },
      { name: 'order', convention: undefined, requires: ['sort'] },
      { name: 'start_date', convention: 'format read from another page', requires: undefined },
    ],
  },
  {
    name: 'operations: x-source (the page) and x-reflects (what a created resource shows of its request) as written; absent, no key',
    given: openapi({
      paths: {
        '/things': {
          post: {
            operationId: 'makeThing',
            'x-source': 'page.txt:12',
            'x-reflects': [{ reader: 'getThing', response: '/names', request: '/names', relation: 'same-set' }],
          },
        },
        '/things/{id}': { get: { operationId: 'getThing' } },
      },
    }),
    derive: (m) => m.operations.map((o) => [o.operationId, o.source, o.reflects, Object.hasOwn(o, 'source'), Object.hasOwn(o, 'reflects')]),
    want: [
      ['makeThing', 'page.txt:12', [{ reader: 'getThing', response: '/names', request: '/names', relation: 'same-set' }], true, true],
      ['getThing', undefined, undefined, false, false],
    ],
  },
  {
    name: 'webhooks: x-source names the page of the webhook',
    given: openapi({
      webhooks: {
        thingEvent: {
          post: { 'x-source': 'events.txt:3', requestBody: json({ type: 'object', properties: { type: { enum: ['THING.NEW'] } } }) },
        },
      },
    }),
    derive: (m) => m.webhooks,
    want: [{ name: 'thingEvent', summary: '', eventTypes: ['THING.NEW'], source: 'events.txt:3' }],
  },
  {
    name: 'problem: a field held constant per value of another (x-same-for), with its source; other fields are not rules',
    given: openapi({
      components: {
        securitySchemes: openapi().components!.securitySchemes,
        schemas: {
          Problem: {
            type: 'object',
            properties: {
              type: { type: 'string' },
              title: { type: 'string', 'x-same-for': 'type', 'x-source': 'p.txt:252' },
              detail: { type: 'string', 'x-same-for': 'status' },
            },
          },
        },
      },
    }),
    derive: (m) => m.problem,
    want: {
      sameFor: [
        { field: 'title', per: 'type', source: 'p.txt:252' },
        { field: 'detail', per: 'status' },
      ],
    },
  },
  {
    name: 'problem: without a Problem schema, no rule',
    given: openapi(),
    derive: (m) => m.problem,
    want: { sameFor: [] },
  },
  {
    name: 'paths: the documented methods of each path, in HTTP method order',
    given: openapi({
      paths: {
        '/things': { post: { operationId: 'makeThing' }, get: { operationId: 'listThings' } },
        '/things/{id}': { delete: { operationId: 'dropThing' } },
      },
    }),
    derive: (m) => [m.paths, m.operations.map((o) => o.key)],
    want: [
      [
        { path: '/things', methods: ['GET', 'POST'] },
        { path: '/things/{id}', methods: ['DELETE'] },
      ],
      ['GET /things', 'POST /things', 'DELETE /things/{id}'],
    ],
  },
  {
    name: 'the header, the spec and the security scheme: token URL and every scope it defines',
    given: openapi(),
    derive: ({ $comment, spec, security }) => ({ $comment, spec, security }),
    want: {
      $comment: 'HEADER',
      spec: { title: 'Fragment', version: '9.9', openapi: '3.1.0' },
      security: { scheme: SCHEME, tokenUrl: 'https://t.example/token', scopes: ['a:read', 'a:admin'] },
    },
  },
];

describe('buildManifest', () => {
  test.for(CASES.map((c) => [c.name, c] as const))('%s', ([, { given, derive, want }]) => {
    expect(derive(buildManifest(given, 'HEADER'))).toStrictEqual(want);
  });

  test('a spec without the client-credentials scheme is refused by name', () => {
    expect(() => buildManifest(openapi({ components: {} }), 'HEADER')).toThrow(
      'the spec must define the oauth-client-credentials scheme with a clientCredentials flow',
    );
  });
});
