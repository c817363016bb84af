/**
 * The JSON Schemas of the local files a user gives the tool (baseline, cassette lines, JWKS):
 * data only, compiled by scripts/generate.ts into generated/input-validators.js, so no schema is
 * compiled at run time.
 */
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
