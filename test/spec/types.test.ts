/**
 * The generated types and the generated validators agree on the samples. The fixtures below
 * are typed literals copied from spec/samples: if a field's type changed in the spec, they
 * would stop compiling (npm test type-checks test/), and the runtime half checks that the
 * validators accept exactly these values.
 */
import { describe, expect, test } from 'vitest';
import type { components, paths, webhooks } from '../../generated/types.js';
import * as validators from '../../generated/validators.js';
import { loadSample } from '../helpers/samples.js';

type Valuation = components['schemas']['AccountValuation'];
type ExecutionOrder = components['schemas']['RebalancingExecutionOrder'];
type Execution = paths['/portfolios/rebalancings/executions/{execution_id}']['get']['responses']['200']['content']['application/json'];
type Trigger = NonNullable<paths['/portfolios/rebalancings/executions']['post']['requestBody']>['content']['application/json'];
type ValuationEvent = NonNullable<webhooks['accountValuationEvent']['post']['requestBody']>['content']['application/json'];
type Problem = components['schemas']['Problem'];

const currentValuation: Valuation = {
  account_id: '51cdc0cc-9042-11ed-b017-2eabd0c03f8a',
  created_at: '2023-01-10T14:15:22Z',
  id: '404b170a-9042-11ed-9a51-2eabd0c03f8a',
  price_quality: 'EOD',
  security_positions: [
    {
      instrument: { isin: 'DE0007664005', uuid: '123e4567-e89b-12d3-a456-426614174000' },
      quantity: '0.65',
      value: { amount: '104.81', currency: 'EUR', price_time: '2023-01-09T00:00:00Z' },
      weight: '0.736595',
    },
    {
      instrument: { isin: 'FR0010524777', uuid: '48b798b7-3a62-4f30-8307-ee94d35b21b7' },
      quantity: '1.00',
      value: { amount: '37.48', currency: 'EUR', price_time: '2023-01-09T00:00:00Z' },
      weight: '0.263405',
    },
    { instrument: { isin: 'SE0019889775', uuid: '7499ccf8-6fa5-43ef-af9e-dd062e10ab59' }, quantity: '5.00', value: null, weight: null },
  ],
  total_security_value: { amount: '142.29', currency: 'EUR' },
  updated_at: '2023-01-10T14:15:22Z',
  valuation_time: '2023-01-10T14:15:22Z',
};

const execution: Execution = {
  id: '735381ce-8380-4b07-9e42-97e2b6d3643e',
  created_at: '2021-07-21T14:10:00.00Z',
  updated_at: '2021-07-21T14:10:00.00Z',
  accounts: ['43801b85-bbcf-41c7-8389-b018082a5ec5', '20151679-c159-4f16-b8a2-267b3d968c6f'],
  allocations: [],
};

const trigger: Trigger = { allocations: ['eafa39e3-7837-476f-8af1-49fa604e3f49'] };

const cancelledOrder: ExecutionOrder = {
  id: '1bf46252-ad90-4e22-8717-9586d2b86327',
  created_at: '2022-09-28T09:14:02Z',
  updated_at: '2022-09-28T09:14:02Z',
  execution_id: '9275e08d-012f-40bd-80b7-58037bdc7ab6',
  portfolio_order_id: null,
  account_id: '98b21a45-5ea0-481f-bb1e-880aab0d154d',
  status: 'CANCELLED',
  cancellation_reason: 'PORTFOLIO_IS_BALANCED',
  cancellation_details: 'Portfolio is balanced, no need to rebalance.',
};

const notFound: Problem = { status: 404, type: 'not_found' };

describe('generated types agree with generated validators', () => {
  test('typed fixtures equal the recorded samples and validate', () => {
    expect(currentValuation).toEqual(loadSample('getCurrentAccountValuation.200.json'));
    expect(validators.response_getCurrentAccountValuation_200_json(currentValuation)).toBe(true);
    expect(execution).toEqual(loadSample('retrievePortfolioRebalancingExecution.200.json'));
    expect(validators.response_retrievePortfolioRebalancingExecution_200_json(execution)).toBe(true);
    expect(trigger).toEqual(loadSample('triggerPortfolioRebalancing.request.allocations.json'));
    expect(validators.request_triggerPortfolioRebalancing_json(trigger)).toBe(true);
    expect(cancelledOrder).toEqual((loadSample('listPortfolioRebalancingExecutionOrders.200.json') as { data: unknown[] }).data[3]);
    expect(
      validators.response_listPortfolioRebalancingExecutionOrders_200_json({
        meta: { offset: 0, limit: 10, count: 1, total_count: 1 },
        data: [cancelledOrder],
      }),
    ).toBe(true);
    expect(notFound).toEqual(loadSample('listAccountValuations.404.not-found.json'));
    expect(validators.response_listAccountValuations_404_problem_json(notFound)).toBe(true);
  });

  test('a validator is a type guard for the generated type', () => {
    const body: unknown = loadSample('webhook.ACCOUNT_VALUATION.CREATED.json');
    if (!validators.event_ACCOUNT_VALUATION_CREATED(body)) throw new Error('sample must validate');
    // Compiles only because the guard narrows `unknown` to the webhook's event type.
    const event: ValuationEvent = body;
    const weights: (string | null)[] = (event.object.security_positions ?? []).map((p) => p.weight);
    expect(weights).toEqual(['0.736595', '0.263405']);
  });
});
