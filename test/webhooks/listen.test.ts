import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { UpvestClient } from '../../src/client/upvest-client.js';
import { readCassette } from '../../src/webhooks/listen.js';
import { sendDelivery } from '../../src/webhooks/delivery.js';
import { mockSetup, type MockSetup } from '../helpers/mock-setup.js';
import { capture } from '../helpers/output.js';

async function listening(output: ReturnType<typeof capture>): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const line = output.lines.find((l) => l.startsWith('listening for webhook deliveries on '));
    if (line) return /on (\S+)/.exec(line)![1];
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('listen did not start');
}

let setup: MockSetup | undefined;
afterEach(async () => {
  await setup?.close();
  setup = undefined;
});

describe('upvest-conformance listen', () => {
  test('end to end: a rebalancing on the bundled mock delivers its order events to listen, verified and valid', async () => {
    setup = await mockSetup({ webhookRetryDelaysMs: [20] });
    const output = capture();
    const cassette = join(mkdtempSync(join(tmpdir(), 'uc-listen-')), 'deliveries.ndjson');
    const expect3 = 'REBALANCING_EXECUTION_ORDER.NEW,REBALANCING_EXECUTION_ORDER.PROCESSING,REBALANCING_EXECUTION_ORDER.FILLED';
    const running = main(
      [
        'listen',
        '--port',
        '0',
        '--jwks-url',
        `${setup.mock.url}/auth/verify_keys`,
        '--cassette',
        cassette,
        '--expect',
        expect3,
        '--timeout',
        '20',
      ],
      output,
    );
    const url = await listening(output);
    setup.mock.registerWebhook(url);
    const created = await setup.send({
      method: 'POST',
      path: '/portfolios/rebalancings/executions',
      body: { accounts: [setup.mock.fixtures.accounts[0].id] },
      idempotencyKey: UpvestClient.idempotencyKey(),
      auth: { scopes: ['portfolios:admin'] },
    });
    expect(created.status).toBe(200);
    setup.clock.advance(2_000);
    setup.clock.advance(3_000);
    expect(await running).toBe(0);
    const events = output.lines.filter((l) => / ✓ REBALANCING_EXECUTION_ORDER\./.test(l));
    expect(events.map((l) => /✓ (\S+)/.exec(l)![1])).toEqual([
      'REBALANCING_EXECUTION_ORDER.NEW',
      'REBALANCING_EXECUTION_ORDER.PROCESSING',
      'REBALANCING_EXECUTION_ORDER.FILLED',
    ]);
    expect(events.every((l) => l.includes('signature ok'))).toBe(true);
    // The cassette replays: the same events, headers redacted.
    expect(readCassette(cassette).map((e) => (e as { type: string }).type)).toEqual([
      'REBALANCING_EXECUTION_ORDER.NEW',
      'REBALANCING_EXECUTION_ORDER.PROCESSING',
      'REBALANCING_EXECUTION_ORDER.FILLED',
    ]);
    expect(readFileSync(cassette, 'utf8')).toContain('"signature":"sig1=:[REDACTED]:"');
  });

  test('exit 1 on an invalid event, naming the problem', async () => {
    const output = capture();
    const running = main(['listen', '--port', '0', '--expect', 'ACCOUNT.CREATED', '--timeout', '10'], output);
    const url = await listening(output);
    const bad = {
      id: '54b8d84f-5bd0-4e43-bf0f-164388cb4c23',
      created_at: '2021-07-21T14:10:00Z',
      type: 'ACCOUNT.CREATED',
      object: { id: 'x' },
      webhook_id: 'cd2e4183-4e62-4e0f-981b-44b594d14610',
    };
    expect((await sendDelivery(url, JSON.stringify({ payload: [bad] }))).status).toBe(200);
    expect(await running).toBe(1);
    expect(output.lines.some((l) => l.includes('✗ ACCOUNT.CREATED') && l.includes('must'))).toBe(true);
  });

  test('exit 2 on timeout, naming the missing types', async () => {
    const output = capture();
    expect(await main(['listen', '--port', '0', '--expect', 'ACCOUNT.CLOSED', '--timeout', '1'], output)).toBe(2);
    expect(output.errors[0]).toMatch(/CT_ERR_LISTEN_TIMEOUT: After 1 s, still missing valid events of type: ACCOUNT.CLOSED/);
  });

  test('duplicates are recognised by event id', async () => {
    const output = capture();
    const stop = new AbortController();
    const running = main(['listen', '--port', '0'], output, stop.signal);
    const url = await listening(output);
    const event = {
      id: '8962b496-8d42-4560-bfab-10490dd1a721',
      created_at: '2023-01-10T00:15:32Z',
      type: 'ACCOUNT.LOCKED',
      webhook_id: '9df39835-be87-4243-9018-f2500b39cee6',
      object: {
        id: '51cdc0cc-9042-41ed-b017-2eabd0c03f8a',
        created_at: '2023-01-10T00:15:22Z',
        updated_at: '2023-01-10T00:15:22Z',
        account_group_id: '51cdc0cc-9042-41ed-b017-2eabd0c03f8b',
        type: 'TRADING',
        users: [],
        name: 'x',
        status: 'LOCKED',
        account_number: 1,
      },
    };
    await sendDelivery(url, JSON.stringify(event));
    await sendDelivery(url, JSON.stringify(event));
    stop.abort();
    expect(await running).toBe(0);
    expect(output.lines.filter((l) => /[✓↺] ACCOUNT.LOCKED/.test(l)).map((l) => l.includes(' duplicate'))).toEqual([false, true]);
    expect(output.lines.at(-1)).toBe('2 deliveries, 2 events (1 duplicates), 0 invalid; types: ACCOUNT.LOCKED');
  });

  test('--expect without --timeout is a usage error', async () => {
    const output = capture();
    expect(await main(['listen', '--expect', 'ACCOUNT.CLOSED'], output)).toBe(2);
    expect(output.errors[0]).toContain('--expect needs --timeout');
  });
});
