import { describe, expect, test } from 'vitest';
import { curlFor, renderFailure } from '../../src/checks/failure.js';
import type { Failure } from '../../src/checks/types.js';

const request = {
  method: 'POST',
  url: 'https://sandbox.upvest.co/portfolios/rebalancings/executions',
  headers: {
    accept: 'application/json',
    authorization: 'Bearer [REDACTED]',
    'upvest-client-id': 'ebabcf4d-61c3-4942-875c-e265a7c2d062',
    'idempotency-key': 'ccb07f42-4104-44ad-8e1f-c660bb7b269c',
    signature: 'sig1=:[REDACTED]:',
    'signature-input': 'sig1=("@method");keyid="k"',
    'content-digest': 'sha-512=:x:',
    'content-type': 'application/json',
  },
  bodyExcerpt: `{"accounts":["a'b"]}`,
};

describe('one rendering of a failure', () => {
  test('Received / Expected with pointers, the response, and a curl line', () => {
    const failure: Failure = {
      check: 'response-schema',
      operation: 'GET /accounts/{account_id}/valuations',
      title: 't',
      message: '/data/0/price_quality must be equal to one of the allowed values (200 application/json)',
      severity: 'error',
      pointer: '/data/0/price_quality',
      schemaPointer: 'response_listAccountValuations_200_json#/properties/data/items/properties/price_quality/enum',
      received: '"INTRADAY"',
      expected: 'one of "EOD"',
      response: { status: 200, headers: { 'content-type': 'application/json' }, bodyExcerpt: '{}', bodyBytes: 1234, truncated: false },
      curl: 'curl -sS -X GET https://x',
    };
    expect(renderFailure(failure)).toBe(
      [
        '[error] response-schema › GET /accounts/{account_id}/valuations: /data/0/price_quality must be equal to one of the allowed values (200 application/json)',
        '  Received: "INTRADAY" at /data/0/price_quality',
        '  Expected: one of "EOD" (schema response_listAccountValuations_200_json#/properties/data/items/properties/price_quality/enum)',
        '  Response: 200 application/json, 1234 bytes',
        '  Reproduce: curl -sS -X GET https://x',
      ].join('\n'),
    );
  });

  test('curl: the token is a placeholder, signature headers are left to the signer, quotes are escaped', () => {
    const curl = curlFor(request);
    expect(curl).toContain(`-H "authorization: Bearer $UPVEST_ACCESS_TOKEN"`);
    expect(curl).toContain(`--data-raw '{"accounts":["a'\\''b"]}'`);
    expect(curl).not.toMatch(/signature|content-digest|REDACTED/i.source.replace('signature', 'signature:'));
    expect(curl).toMatch(/# plus signature headers from your signer/);
    expect(curl).not.toContain('[REDACTED]');
  });
});
