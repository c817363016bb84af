/**
 * The shapes of the local files a user gives the tool (baseline, cassette lines, JWKS), as JSON
 * Schemas (src/input-shape-schemas.ts) compiled at generation time: a wrong file gets one
 * message naming where in it and what is wrong, never a crash further on.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { baselineShape, cassetteEntryShape, jwksShape } from '../generated/input-validators.js';

export const validateBaselineShape: ValidateFunction = baselineShape;
export const validateCassetteEntryShape: ValidateFunction = cassetteEntryShape;
export const validateJwksShape: ValidateFunction = jwksShape;

/** The first problem of a value against a shape, as "at /entries/0: must have property reason"; undefined when it fits. */
export function shapeProblem(validate: ValidateFunction, value: unknown): string | undefined {
  if (validate(value)) return undefined;
  const error = validate.errors?.[0] as ErrorObject | undefined;
  if (!error) return 'does not have the expected shape';
  const where = error.instancePath || '(the top level)';
  const missing = error.keyword === 'required' ? ` "${(error.params as { missingProperty: string }).missingProperty}"` : '';
  return `at ${where}: ${error.message ?? 'invalid'}${missing && !error.message?.includes('"') ? missing : ''}`;
}
