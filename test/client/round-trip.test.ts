import { describe, expect, test } from 'vitest';
import { UpvestClient } from '../../src/client/upvest-client.js';
import { UsageError } from '../../src/errors.js';
import { mockSetup } from '../helpers/mock-setup.js';

describe('client → mock with signature verification on', () => {
  test('every operation succeeds signed, and no secret is in any recorded exchange', async () => {
    const s = await mockSetup();
    try {
      const account = s.mock.fixtures.accounts[0].id;
      const created = await s.send({
        method: 'POST',
        path: '/portfolios/rebalancings/executions',
        body: { accounts: [account] },
        idempotencyKey: UpvestClient.idempotencyKey(),
        auth: { scopes: ['portfolios:admin'] },
      });
      expect(created.status).toBe(200);
      const id = created.json<{ id: string }>().id;
      for (const [path, query, scopes] of [
        [`/portfolios/rebalancings/executions/${id}`, [], ['portfolios:read']],
        [`/portfolios/rebalancings/executions/${id}/orders`, [['limit', '5']], ['portfolios:read']],
        [`/accounts/${account}/valuations/current`, [['price_quality', 'EOD']], ['valuations:read']],
        [
          `/accounts/${account}/valuations`,
          [
            ['order', 'DESC'],
            ['start_date', '2024-01-01'],
          ],
          ['valuations:read'],
        ],
      ] as [string, [string, string][], string[]][]) {
        const response = await s.send({ method: 'GET', path, query, auth: { scopes } });
        expect(response.status, `${path}: ${response.text()}`).toBe(200);
      }
      const exchanges = s.transport.recorder.exchanges;
      expect(exchanges.length).toBeGreaterThanOrEqual(8);
      const signedRequests = exchanges.filter((e) => e.request.headers['signature-input']);
      expect(signedRequests).toHaveLength(exchanges.length);
      const recorded = JSON.stringify(exchanges);
      const tokens = await Promise.all(
        [['portfolios:admin'], ['portfolios:read'], ['valuations:read']].map((scopes) => s.client.tokens.token(scopes)),
      );
      for (const secret of [s.mock.fixtures.clientSecret, ...tokens]) expect(recorded).not.toContain(secret);
      for (const e of exchanges) expect(e.request.headers.signature).toMatch(/^sig1=:\[REDACTED\]:$/);
      // Each operation asked for a token with just its scopes.
      expect(
        exchanges
          .filter((e) => e.purpose?.startsWith('token for scopes'))
          .map((e) => e.purpose)
          .sort(),
      ).toEqual(['token for scopes "portfolios:admin"', 'token for scopes "portfolios:read"', 'token for scopes "valuations:read"']);
    } finally {
      await s.close();
    }
  });

  test('refuses paths that would leave the configured origin', async () => {
    const s = await mockSetup();
    try {
      // A path starting with // stays a path on the configured origin.
      const doubleSlash = await s.send({ method: 'GET', path: '//evil.example/x', auth: { none: true } });
      expect(new URL(doubleSlash.url).origin).toBe(new URL(s.mock.url).origin);
      await expect(s.send({ method: 'GET', path: 'https://evil.example/x', auth: { none: true } })).rejects.toBeInstanceOf(UsageError);
    } finally {
      await s.close();
    }
  });
});
