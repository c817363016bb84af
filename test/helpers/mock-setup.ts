/** A bundled mock on a manual clock plus a signing client, for tests. */
import { createPublicKey } from 'node:crypto';
import { Transport, type TransportOptions } from '../../src/client/transport.js';
import { UpvestClient, type ApiRequest } from '../../src/client/upvest-client.js';
import { ManualClock } from '../../src/mock/clock.js';
import { startMock, type MockHandle, type MockOptions } from '../../src/mock/server.js';
import { generateSigningKey, type SigningKey, type VerifyingKey } from '../../src/signing/index.js';
import { documentedResponse, operationById } from '../../src/spec/manifest.js';
import { validateBody } from '../../src/spec/validate.js';

export interface MockSetup {
  mock: MockHandle;
  clock: ManualClock;
  client: UpvestClient;
  transport: Transport;
  key: SigningKey;
  send(request: ApiRequest): ReturnType<UpvestClient['send']>;
  close(): Promise<void>;
}

export const START = Date.UTC(2025, 0, 15, 12, 0, 0);

export function verifyingKeyOf(key: SigningKey): VerifyingKey {
  return { keyId: key.keyId, algorithm: key.algorithm, publicKey: createPublicKey(key.privateKey) };
}

export async function mockSetup(options: MockOptions = {}, transportOptions: TransportOptions = {}): Promise<MockSetup> {
  const clock = new ManualClock(START);
  const key = generateSigningKey('ecdsa-p521-sha512', 'test-client-key');
  const publicKey = verifyingKeyOf(key);
  const mock = await startMock({ clock, signatureKeys: (id) => (id === key.keyId ? publicKey : undefined), ...options });
  const transport = new Transport({ retry: { maxAttempts: 1 }, ...transportOptions });
  const client = new UpvestClient({
    baseUrl: mock.url,
    clientId: mock.fixtures.clientId,
    clientSecret: mock.fixtures.clientSecret,
    signingKey: key,
    transport,
  });
  return {
    mock,
    clock,
    client,
    transport,
    key,
    send: (request) => client.send(request),
    close: async () => {
      await transport.close();
      await mock.close();
    },
  };
}

/** Assert-free helper: the problems of a response against its operation's documentation. */
export function conformanceProblems(
  operationId: string,
  response: { status: number; headers: Record<string, string>; body: Buffer },
): string[] {
  const problems: string[] = [];
  const op = operationById(operationId);
  const documented = documentedResponse(op, response.status);
  if (!documented) return [`status ${response.status} is not documented for ${operationId}`];
  const requestId = response.headers['upvest-request-id'];
  if (!requestId || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(requestId))
    problems.push(`upvest-request-id ${requestId}`);
  const contentType = response.headers['content-type'];
  const content = documented.contents.find((c) => c.contentType === contentType);
  if (!content) return [...problems, `content-type ${contentType} not documented for ${response.status}`];
  const body = JSON.parse(response.body.toString('utf8')) as Record<string, unknown>;
  const result = validateBody(content.validator, body);
  if (!result.valid) problems.push(...result.violations.map((v) => `${v.instancePath} ${v.message}`));
  if (result.undocumented.length > 0) problems.push(...result.undocumented.map((u) => `undocumented ${u.instancePath}/${u.property}`));
  if (response.status >= 400) {
    if (body.status !== response.status) problems.push(`problem status ${String(body.status)} ≠ ${response.status}`);
    if (body.request_id !== requestId) problems.push('problem request_id differs from the header');
    for (const field of ['type', 'title', 'detail']) if (typeof body[field] !== 'string') problems.push(`problem without ${field}`);
  }
  return problems;
}
