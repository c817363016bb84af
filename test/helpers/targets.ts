/** A TargetDescription for the bundled mock, with the settings a test cares about. */
import { createPublicKey } from 'node:crypto';
import type { TargetDescription } from '../../src/engine/target.js';
import type { MockHandle } from '../../src/mock/server.js';
import type { SigningKey } from '../../src/signing/index.js';

export interface MockTargetOptions extends Partial<TargetDescription> {
  /** Sign with this key (the mock must verify it), or not at all (false). */
  key?: SigningKey;
  signing?: boolean;
}

export function mockTarget(mock: MockHandle, options: MockTargetOptions = {}): TargetDescription {
  const { key, signing, ...overrides } = options;
  return {
    baseUrl: mock.url,
    clientId: mock.fixtures.clientId,
    clientSecret: mock.fixtures.clientSecret,
    ...(key && signing !== false
      ? { signingKey: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), signingKeyId: key.keyId }
      : {}),
    accountIds: mock.fixtures.accounts.map((a) => a.id),
    executionId: mock.fixtures.executions[0].id,
    triggerAccountIds: [mock.fixtures.accounts[0].id],
    timeoutMs: 10_000,
    deadlineMs: 60_000,
    concurrency: 4,
    maxResponseBytes: 16 * 1024 * 1024,
    pageLimit: 2,
    maxPages: 200,
    minEnumCoverage: 0,
    only: [],
    skip: [],
    bail: false,
    embeddedMock: true,
    mockControl: false,
    ...overrides,
  };
}

/** The public half of a signing key, as the mock's `signatureKeys` resolver wants it. */
export function verifierOf(key: SigningKey) {
  const publicKey = { keyId: key.keyId, algorithm: key.algorithm, publicKey: createPublicKey(key.privateKey) };
  return (id: string) => (id === key.keyId ? publicKey : undefined);
}
