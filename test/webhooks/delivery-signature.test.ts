/** Deliveries are signed with draft-06 and no version header by default, as Upvest signs its webhooks; draft-15 on request. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateSigningKey, publicJwk, keyResolverFromJwks } from '../../src/signing/index.js';
import { sendDelivery } from '../../src/webhooks/delivery.js';
import { startReceiver, type Receiver } from '../../src/webhooks/receiver.js';

const key = generateSigningKey('ecdsa-p521-sha512', 'webhook-key');
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver({ keys: keyResolverFromJwks({ keys: [publicJwk(key)] }), rejectUnverified: true });
});
afterAll(() => receiver.close());

const body = JSON.stringify({ payload: [] });

describe('sendDelivery signatures', () => {
  test('default: draft-06, digest covered, no upvest-signature-version; the receiver reads the version from the components', async () => {
    expect((await sendDelivery(receiver.url, body, { signingKey: key })).status).toBe(200);
    const delivery = receiver.deliveries.at(-1)!;
    expect(delivery.headers).not.toHaveProperty('upvest-signature-version');
    expect(delivery.headers.digest).toMatch(/^SHA-256=/);
    expect(delivery.headers['signature-input']).toMatch(
      /^sig1=\("content-type" "@method" "@path" "digest"\);keyid="webhook-key";created=\d+;nonce="[^"]+";expires=\d+$/,
    );
    expect(delivery.signature).toMatchObject({ ok: true, version: '6', versionSource: 'components' });
  });

  test('--signature-version 15: content-digest and the version header', async () => {
    expect((await sendDelivery(receiver.url, body, { signingKey: key, signatureVersion: '15' })).status).toBe(200);
    const delivery = receiver.deliveries.at(-1)!;
    expect(delivery.headers['upvest-signature-version']).toBe('15');
    expect(delivery.headers['content-digest']).toMatch(/^sha-512=:/);
    expect(delivery.signature).toMatchObject({ ok: true, version: '15', versionSource: 'header' });
  });

  test.each(['6', '15'] as const)('draft-%s: forged and expired deliveries are refused', async (signatureVersion) => {
    expect((await sendDelivery(receiver.url, body, { signingKey: key, signatureVersion, signature: 'forged' })).status).toBe(401);
    expect(receiver.deliveries.at(-1)!.signature).toMatchObject({ ok: false, step: 'signature' });
    expect((await sendDelivery(receiver.url, body, { signingKey: key, signatureVersion, signature: 'expired' })).status).toBe(401);
    expect(receiver.deliveries.at(-1)!.signature).toMatchObject({ ok: false, step: 'expired' });
  });
});
