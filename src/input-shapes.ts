/**
 * The shapes of the local files a user gives the tool (baseline, cassette lines, JWKS), as JSON
 * Schemas checked with ajv: a wrong file gets one message naming where in it and what is wrong,
 * never a crash further on.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';

const ajv = new Ajv2020({ allErrors: false, strict: true });

const nonEmpty = { type: 'string', minLength: 1 } as const;

export const BASELINE_SCHEMA = {
  type: 'object',
  required: ['entries'],
  properties: {
    $comment: { type: 'string' },
    entries: {
      type: 'array',
      items: {
        type: 'object',
        required: ['check', 'operation', 'reason'],
        properties: { check: nonEmpty, operation: nonEmpty, reason: nonEmpty, match: { type: 'string' } },
      },
    },
  },
} as const;

export const CASSETTE_ENTRY_SCHEMA = {
  type: 'object',
  required: ['events'],
  properties: {
    receivedAt: { type: 'string' },
    path: { type: 'string' },
    headers: { type: 'object' },
    events: { type: 'array' },
  },
} as const;

export const JWKS_SCHEMA = {
  type: 'object',
  required: ['keys'],
  properties: {
    keys: {
      type: 'array',
      minItems: 1,
      items: { type: 'object', required: ['kty'], properties: { kty: nonEmpty, kid: { type: 'string' } } },
    },
  },
} as const;

/** A shape compiled on first use: most runs read none of these files, and compiling costs every start. */
function compiledOnUse(schema: object): () => ValidateFunction {
  let compiled: ValidateFunction | undefined;
  return () => {
    compiled ??= ajv.compile(schema);
    return compiled;
  };
}

export const validateBaselineShape = compiledOnUse(BASELINE_SCHEMA);
export const validateCassetteEntryShape = compiledOnUse(CASSETTE_ENTRY_SCHEMA);
export const validateJwksShape = compiledOnUse(JWKS_SCHEMA);

/** The first problem of a value against a shape, as "at /entries/0: must have property reason"; undefined when it fits. */
export function shapeProblem(shape: () => ValidateFunction, value: unknown): string | undefined {
  const validate = shape();
  if (validate(value)) return undefined;
  const error = validate.errors?.[0] as ErrorObject | undefined;
  if (!error) return 'does not have the expected shape';
  const where = error.instancePath || '(the top level)';
  const missing = error.keyword === 'required' ? ` "${(error.params as { missingProperty: string }).missingProperty}"` : '';
  return `at ${where}: ${error.message ?? 'invalid'}${missing && !error.message?.includes('"') ? missing : ''}`;
}
