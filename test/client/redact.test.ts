import { describe, expect, test } from 'vitest';
import { redactBody, redactHeaders, SecretRegistry } from '../../src/client/redact.js';

describe('redaction', () => {
  const registry = new SecretRegistry();
  registry.add('s3cr3t-client-value');
  registry.add('short');

  test('credential headers keep their scheme only; signatures lose their value', () => {
    expect(redactHeaders({ Authorization: 'Bearer abc.def', 'Proxy-Authorization': 'Basic xyz', Cookie: 'a=b', signature: 'sig1=:MEUCIQ==:', 'signature-input': 'sig1=("@method");keyid="k"' }, registry)).toEqual({
      authorization: 'Bearer [REDACTED]',
      'proxy-authorization': 'Basic [REDACTED]',
      cookie: '[REDACTED]',
      signature: 'sig1=:[REDACTED]:',
      'signature-input': 'sig1=("@method");keyid="k"',
    });
  });

  test('form and JSON fields by name, also in truncated excerpts; registered values anywhere', () => {
    expect(redactBody('client_id=c&client_secret=zzz&grant_type=client_credentials', 'application/x-www-form-urlencoded', registry)).toBe('client_id=c&client_secret=[REDACTED]&grant_type=client_credentials');
    expect(redactBody('{"access_token":"eyJ.x.y","expires_in":3600}', 'application/json', registry)).toBe('{"access_token":"[REDACTED]","expires_in":3600}');
    expect(redactBody('{"access_token":"eyJ.trunc', 'application/json', registry)).toBe('{"access_token":"[REDACTED]"');
    expect(redactBody('{"note":"s3cr3t-client-value leaked"}', 'application/json', registry)).toBe('{"note":"[REDACTED] leaked"}');
  });

  test('PEM private keys are removed wholesale; short values are not treated as secrets', () => {
    const pem = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----';
    expect(registry.scrub(`key: ${pem} end`)).toBe('key: [REDACTED] end');
    expect(registry.scrub('a short word')).toBe('a short word');
  });
});
