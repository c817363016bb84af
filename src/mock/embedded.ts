/**
 * The default target: the bundled mock, started for the run on a free port, verifying the
 * signatures of a key generated for the run, so that a run on a fresh machine exercises the
 * whole path a sandbox run takes.
 */
import { createPublicKey } from 'node:crypto';
import { AdjustableClock } from './clock.js';
import { startMock, type MockHandle } from './server.js';
import { generateSigningKey, type SigningKey } from '../signing/index.js';

export const EMBEDDED_KEY_ID = 'upvest-conformance-embedded';

export interface EmbeddedTarget {
  mock: MockHandle;
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  signingKeyPem: string;
  signingKeyId: string;
  accountIds: string[];
  executionId: string;
  triggerAccountIds: string[];
}

/** With the user's signing key, the mock verifies that key; otherwise one is generated for the run. */
export async function startEmbeddedMock(userKey?: SigningKey): Promise<EmbeddedTarget> {
  const key = userKey ?? generateSigningKey('ecdsa-p521-sha512', EMBEDDED_KEY_ID);
  const publicKey = { keyId: key.keyId, algorithm: key.algorithm, publicKey: createPublicKey(key.privateKey) };
  // Real time that the webhook suite can move days ahead.
  const mock = await startMock({ clock: new AdjustableClock(), signatureKeys: (id) => (id === key.keyId ? publicKey : undefined) });
  const f = mock.fixtures;
  return {
    mock,
    baseUrl: mock.url,
    clientId: f.clientId,
    clientSecret: f.clientSecret,
    signingKeyPem: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    signingKeyId: key.keyId,
    accountIds: f.accounts.map((a) => a.id),
    // The seeded execution whose orders show every status and cancellation reason.
    executionId: f.executions[0].id,
    triggerAccountIds: f.accounts
      .filter((a) => a.type === 'PORTFOLIO' && !a.business)
      .slice(0, 1)
      .map((a) => a.id),
  };
}
