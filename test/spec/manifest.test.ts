import { describe, expect, test } from 'vitest';
import { manifest, operationById } from '../../src/spec/manifest.js';
import { bodyValidator, parametersValidator } from '../../src/spec/validate.js';

describe('generated/manifest.json', () => {
  test('lists the five operations of the slice with unique operationIds and keys', () => {
    expect(manifest.operations.map((o) => o.key)).toEqual([
      'POST /portfolios/rebalancings/executions',
      'GET /portfolios/rebalancings/executions/{execution_id}',
      'GET /portfolios/rebalancings/executions/{execution_id}/orders',
      'GET /accounts/{account_id}/valuations/current',
      'GET /accounts/{account_id}/valuations',
    ]);
    expect(new Set(manifest.operations.map((o) => o.operationId)).size).toBe(5);
  });

  test('carries scopes, statuses and parameter constraints as documented', () => {
    const list = operationById('listPortfolioRebalancingExecutionOrders');
    expect(list.scopes).toEqual([['portfolios:read'], ['portfolios:admin']]);
    expect(list.responses.map((r) => r.status)).toEqual(['200', '400', '401', '403', '404', '405', '406', '429', '500', '503', '504']);
    const limit = list.parameters.find((p) => p.name === 'limit');
    expect(limit).toMatchObject({
      in: 'query',
      required: false,
      constraints: { type: 'integer', minimum: 0, maximum: 1000, default: 100 },
    });
    expect(list.parameters.find((p) => p.name === 'order')?.constraints.enum).toEqual(['ASC']);
    expect(list.pagination).toEqual({
      items: '/data',
      id: '/id',
      sort: { status: '/status' },
      dateFilter: { field: '/created_at', start: 'start_date', end: 'end_date' },
    });
    const trigger = operationById('triggerPortfolioRebalancing');
    expect(trigger.scopes).toEqual([['portfolios:admin']]);
    expect(trigger.requestBody).toMatchObject({ required: true, oneOfBranches: 2 });
    expect(trigger.parameters.find((p) => p.name === 'idempotency-key')?.constraints.pattern).toMatch(/^\^\[0-9a-fA-F\]\{8\}/);
    expect(operationById('retrievePortfolioRebalancingExecution').responses.map((r) => r.status)).not.toContain('400');
    expect(operationById('listAccountValuations').parameters.find((p) => p.name === 'order')?.constraints.enum).toEqual(['ASC', 'DESC']);
  });

  test('every response names a generated validator and its closed twin', () => {
    for (const op of manifest.operations) {
      for (const response of op.responses) {
        expect(response.headers.find((h) => h.name === 'upvest-request-id')).toMatchObject({
          required: true,
          constraints: { format: 'uuid' },
        });
        for (const content of response.contents) {
          expect(typeof bodyValidator(content.validator)).toBe('function');
          expect(typeof bodyValidator(content.closedValidator)).toBe('function');
        }
      }
      expect(typeof parametersValidator(op.parametersValidator)).toBe('function');
    }
  });

  test('lists every webhook event type exactly as documented', () => {
    expect(Object.fromEntries(manifest.webhooks.map((w) => [w.name, w.eventTypes]))).toEqual({
      rebalancingExecutionOrderEvent: [
        'REBALANCING_EXECUTION_ORDER.NEW',
        'REBALANCING_EXECUTION_ORDER.PROCESSING',
        'REBALANCING_EXECUTION_ORDER.CANCELLED',
        'REBALANCING_EXECUTION_ORDER.FILLED',
      ],
      accountEvent: [
        'ACCOUNT.CREATED',
        'ACCOUNT.ACTIVATED',
        'ACCOUNT.CLOSING_INITIATED',
        'ACCOUNT.CLOSED',
        'ACCOUNT.LOCKED',
        'ACCOUNT.UPDATED',
      ],
      accountValuationEvent: ['ACCOUNT_VALUATION.CREATED'],
      intradayAccountValuationEvent: ['INTRADAY_ACCOUNT_VALUATION.CREATED'],
    });
    expect(manifest.eventTypes).toHaveLength(12);
  });

  test('lists every enum of responses and webhooks with its pointer', () => {
    const at = (scope: string, pointer: string) =>
      manifest.enums.find(
        (e) =>
          (e.scope.kind === 'response' ? `${e.scope.operationId} ${e.scope.status}` : e.scope.webhook) === scope && e.pointer === pointer,
      )?.values;
    expect(at('listPortfolioRebalancingExecutionOrders 200', '/data/*/status')).toEqual(['NEW', 'PROCESSING', 'FILLED', 'CANCELLED']);
    expect(at('listPortfolioRebalancingExecutionOrders 200', '/data/*/cancellation_reason')).toHaveLength(8);
    expect(at('listPortfolioRebalancingExecutionOrders 200', '/meta/sort')).toEqual(['status']);
    expect(at('listAccountValuations 200', '/data/*/security_positions/*/value/currency')).toEqual(['EUR']);
    expect(at('accountEvent', '/object/status')).toEqual(['PENDING_APPROVAL', 'ACTIVE', 'CLOSING', 'CLOSED', 'LOCKED']);
    expect(at('accountEvent', '/object/users/*/type')).toEqual(['OWNER', 'GUARDIAN', 'CHILD']);
    expect(at('accountEvent', '/type')).toHaveLength(6);
    const pointers = manifest.enums.map((e) => `${JSON.stringify(e.scope)} ${e.pointer}`);
    expect(new Set(pointers).size).toBe(pointers.length);
  });
});
