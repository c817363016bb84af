import { describe, expect, test } from 'vitest';
import { redactBody, redactHeaders, SecretRegistry } from '../../src/client/redact.js';

describe('redaction', () => {
  const registry = new SecretRegistry();
  registry.add('s3cr3t-client-value');
  registry.add('short');

  test('credential headers keep their scheme only; signatures lose their value', () => {
    expect(
      redactHeaders(
        {
          Authorization: 'Bearer abc.def',
          'Proxy-Authorization': 'Basic xyz',
          Cookie: 'a=b',
          signature: 'sig1=:MEUCIQ==:',
          'signature-input': 'sig1=("@method");keyid="k"',
        },
        registry,
      ),
    ).toEqual({
      authorization: 'Bearer [REDACTED]',
      'proxy-authorization': 'Basic [REDACTED]',
      cookie: '[REDACTED]',
      signature: 'sig1=:[REDACTED]:',
      'signature-input': 'sig1=("@method");keyid="k"',
    });
  });

  test('form and JSON fields by name, also in truncated excerpts; registered values anywhere', () => {
    expect(redactBody('client_id=c&client_secret=zzz&grant_type=client_credentials', 'application/x-www-form-urlencoded', registry)).toBe(
      'client_id=c&client_secret=[REDACTED]&grant_type=client_credentials',
    );
    expect(redactBody('{"access_token":"eyJ.x.y","expires_in":3600}', 'application/json', registry)).toBe(
      '{"access_token":"[REDACTED]","expires_in":3600}',
    );
    expect(redactBody('{"access_token":"eyJ.trunc', 'application/json', registry)).toBe('{"access_token":"[REDACTED]"');
    expect(redactBody('{"note":"s3cr3t-client-value leaked"}', 'application/json', registry)).toBe('{"note":"[REDACTED] leaked"}');
  });

  test('PEM private keys are removed wholesale; short values are not treated as secrets', () => {
    const pem = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----';
    expect(registry.scrub(`key: ${pem} end`)).toBe('key: [REDACTED] end');
    expect(registry.scrub('a short word')).toBe('a short word');
  });
});

describe('redaction at the edges', () => {
  test('a secret in JSON-escaped form is removed too', () => {
    const registry = new SecretRegistry();
    registry.add('pa"ss\\word-123');
    expect(registry.scrub(JSON.stringify({ note: 'pa"ss\\word-123' }))).toBe('{"note":"[REDACTED]"}');
  });

  test('a PEM block cut short is removed to the end', () => {
    const registry = new SecretRegistry();
    expect(registry.scrub('before -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC')).toBe('before [REDACTED]');
  });

  test('a secret across the excerpt cut does not leak its first part', async () => {
    const { ExchangeRecorder, BODY_EXCERPT_BYTES } = await import('../../src/client/exchange.js');
    const { secrets } = await import('../../src/client/redact.js');
    const secret = 'CROSSING-THE-CUT-SECRET-0123456789';
    secrets.add(secret);
    const body = Buffer.from(`${'x'.repeat(BODY_EXCERPT_BYTES - 10)}${secret}${'y'.repeat(100)}`);
    const recorder = new ExchangeRecorder();
    const exchange = recorder.begin({ method: 'GET', url: 'http://t/x', headers: {}, attempt: 1, startedAt: 0 });
    recorder.complete(exchange, { status: 200, headers: { 'content-type': 'application/json' }, body }, 1);
    expect(exchange.response!.bodyExcerpt).not.toContain('CROSSING');
    expect(exchange.response!.bodyExcerpt.length).toBeLessThanOrEqual(BODY_EXCERPT_BYTES);
  });
});
