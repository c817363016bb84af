/**
 * Fault modes of the bundled mock: single, realistic contract violations, each switched on by
 * name (`upvest-conformance mock --fault NAME`, repeatable; never by `run`). Each names the
 * check that must catch it; `npm run mutation` proves they all are caught. Several are subtle
 * on purpose: only on a late page, only for one enum value, only with order=DESC, only for one
 * account, only for large pages.
 */
import type { ManifestOperation } from '../spec/manifest-types.js';
import type { MockResponse } from './http.js';

export type FaultArea =
  | 'schema'
  | 'undocumented'
  | 'pagination'
  | 'errors'
  | 'headers'
  | 'auth'
  | 'idempotency'
  | 'identity'
  | 'protocol'
  | 'status'
  | 'coverage'
  | 'availability'
  | 'side-effects'
  | 'webhooks';

/** The moments where a fault can bend the mock's behaviour. */
export type Bypass =
  | 'missing-bearer'
  | 'wrong-scope'
  | 'missing-client-id'
  | 'invalid-signature'
  | 'accept'
  | 'idempotency'
  | 'allow-header'
  | 'signature-header-alone'
  | 'refused-creates'
  | 'forbidden-creates';

export interface FaultContext {
  operation: ManifestOperation;
  /** Query as the client sent it (before defaults). */
  rawQuery: Record<string, unknown>;
  pathParams: Record<string, string>;
  /** The mock's second account: the target of the one-account fault. */
  secondAccountId: string;
  /** What a fault remembers across requests of one mock (ids it has seen). */
  memory: Set<string>;
}

type Json = Record<string, any>;

export interface Fault {
  name: string;
  area: FaultArea;
  description: string;
  /** The check that must report it. */
  caughtBy: string;
  /** What a finding of that check shows when it is this fault: matched against its message or pointer. */
  evidence: RegExp;
  bypass?: Bypass;
  /** Change the validated query before the operation runs (defaults already applied). */
  query?: (query: Json, ctx: FaultContext) => void;
  /** Change a JSON body before it is sent; return false to leave the response alone. */
  body?: (body: Json, response: MockResponse, ctx: FaultContext) => void;
  /** Change the whole response (status, headers). */
  response?: (response: MockResponse, ctx: FaultContext) => MockResponse;
  /** Change a webhook event before it is delivered. */
  event?: (event: Json) => void;
}

const isOp = (ctx: FaultContext, id: string) => ctx.operation.operationId === id;
const isList = (body: Json) => Array.isArray(body.data) && body.meta && typeof body.meta === 'object';
const ok = (r: MockResponse) => r.status === 200;

export const FAULTS: Fault[] = [
  // Response schema.
  {
    name: 'schema-drop-required',
    area: 'schema',
    caughtBy: 'response-schema',
    evidence: /valuation_time/,
    description: 'the current valuation lacks valuation_time',
    body: (b, r, c) => ok(r) && isOp(c, 'getCurrentAccountValuation') && delete b.valuation_time,
  },
  {
    name: 'schema-wrong-type',
    area: 'schema',
    caughtBy: 'response-schema',
    evidence: /created_at/,
    description: 'an execution’s created_at is an epoch number',
    body: (b, r, c) => ok(r) && isOp(c, 'retrievePortfolioRebalancingExecution') && (b.created_at = Date.parse(b.created_at) / 1000),
  },
  {
    name: 'schema-enum-one-value',
    area: 'schema',
    caughtBy: 'response-schema',
    evidence: /\/status/,
    description: 'FILLED orders (only those) report status COMPLETED',
    body: (b, r) => ok(r) && isList(b) && b.data.forEach((o: Json) => o.status === 'FILLED' && (o.status = 'COMPLETED')),
  },
  {
    name: 'schema-decimal-as-number',
    area: 'schema',
    caughtBy: 'response-schema',
    evidence: /quantity/,
    description: 'position quantities are JSON numbers, not decimal strings',
    body: (b, r) =>
      ok(r) &&
      (isList(b) ? b.data : [b]).forEach((v: Json) => v.security_positions?.forEach((p: Json) => (p.quantity = Number(p.quantity)))),
  },
  {
    name: 'schema-bad-uuid',
    area: 'schema',
    caughtBy: 'response-schema',
    evidence: /portfolio_order_id/,
    description: 'portfolio_order_id is a ticket number, not a uuid',
    body: (b, r, c) =>
      ok(r) &&
      isOp(c, 'listPortfolioRebalancingExecutionOrders') &&
      b.data.forEach((o: Json) => o.portfolio_order_id && (o.portfolio_order_id = `PO-${o.portfolio_order_id.slice(0, 8)}`)),
  },
  {
    name: 'schema-bad-date-time',
    area: 'schema',
    caughtBy: 'response-schema',
    evidence: /valuation_time/,
    description: 'valuation_time uses a space instead of T and no zone',
    body: (b, r, c) =>
      ok(r) &&
      isOp(c, 'listAccountValuations') &&
      b.data.forEach((v: Json) => (v.valuation_time = v.valuation_time.replace('T', ' ').replace('Z', ''))),
  },
  {
    name: 'date-time-not-utc',
    area: 'schema',
    caughtBy: 'response-schema',
    evidence: /valuation_time/,
    description: "the current valuation's valuation_time is given in Berlin time (+01:00): the same instant, not in UTC",
    body: (b, r, c) => {
      if (!ok(r) || !isOp(c, 'getCurrentAccountValuation') || typeof b.valuation_time !== 'string') return;
      const berlin = new Date(Date.parse(b.valuation_time) + 3_600_000).toISOString().replace(/\.\d+Z$|Z$/, '');
      b.valuation_time = `${berlin}+01:00`;
    },
  },
  {
    name: 'problem-title-varies',
    area: 'errors',
    caughtBy: 'error-shape',
    evidence: /came with two titles/,
    description: 'a 401 refusing a signature is titled "Invalid signature", other 401s "Unauthorized": one type, two titles',
    body: (b, r) => {
      if (r.status === 401 && typeof b.detail === 'string' && /signature/i.test(b.detail)) b.title = 'Invalid signature';
    },
  },
  {
    name: 'schema-null-not-nullable',
    area: 'schema',
    caughtBy: 'response-schema',
    evidence: /quantity/,
    description: 'an unpriced position has quantity null',
    body: (b, r) =>
      ok(r) &&
      (isList(b) ? b.data : [b]).forEach((v: Json) => v.security_positions?.forEach((p: Json) => p.value === null && (p.quantity = null))),
  },
  {
    name: 'schema-cancellation-reason-not-cancelled',
    area: 'schema',
    caughtBy: 'response-schema',
    evidence: /cancellation_reason|must NOT be valid|must match "else" schema|must match "then" schema/,
    description: 'FILLED orders carry a cancellation_reason',
    body: (b, r, c) =>
      ok(r) &&
      isOp(c, 'listPortfolioRebalancingExecutionOrders') &&
      b.data.forEach((o: Json) => o.status === 'FILLED' && (o.cancellation_reason = 'UNKNOWN')),
  },
  {
    name: 'schema-bad-isin',
    area: 'schema',
    caughtBy: 'response-schema',
    evidence: /isin/,
    description: 'ISINs are lower-case',
    body: (b, r) =>
      ok(r) &&
      (isList(b) ? b.data : [b]).forEach((v: Json) =>
        v.security_positions?.forEach((p: Json) => (p.instrument.isin = String(p.instrument.isin).toLowerCase())),
      ),
  },
  {
    name: 'undocumented-property',
    area: 'undocumented',
    caughtBy: 'undocumented-property',
    evidence: /portfolio_value/,
    description: 'valuations carry an undocumented portfolio_value',
    body: (b, r, c) => ok(r) && isOp(c, 'getCurrentAccountValuation') && (b.portfolio_value = b.total_security_value),
  },

  // Pagination.
  {
    name: 'pagination-count-wrong',
    area: 'pagination',
    caughtBy: 'pagination-meta',
    evidence: /meta\.count is/,
    description: 'meta.count is one more than the items returned',
    body: (b, r) => ok(r) && isList(b) && (b.meta.count += 1),
  },
  {
    name: 'pagination-total-wrong',
    area: 'pagination',
    caughtBy: 'pagination-traversal',
    evidence: /distinct ids|total_count/,
    description: 'total_count counts one item more than exist',
    body: (b, r) => ok(r) && isList(b) && (b.meta.total_count += 1),
  },
  {
    name: 'pagination-limit-ignored',
    area: 'pagination',
    caughtBy: 'pagination-meta',
    evidence: /more than limit|were due/,
    description: 'limit is ignored: pages always hold up to 100 items (meta echoes the request)',
    query: (q) => {
      q.echoLimit = q.limit;
      q.limit = 100;
    },
  },
  {
    name: 'pagination-offset-ignored',
    area: 'pagination',
    caughtBy: 'pagination-traversal',
    evidence: /more than one page|distinct ids|different items/,
    description: 'offset is ignored: every page starts at the first item (meta echoes the request)',
    query: (q) => {
      q.echoOffset = q.offset;
      q.offset = 0;
    },
  },
  {
    name: 'pagination-meta-not-echoed',
    area: 'pagination',
    caughtBy: 'pagination-meta',
    evidence: /meta\.offset does not echo/,
    description: 'meta.offset is always 0',
    body: (b, r) => ok(r) && isList(b) && (b.meta.offset = 0),
  },
  {
    name: 'pagination-order-ignored-desc',
    area: 'pagination',
    caughtBy: 'ordering',
    evidence: /not descending/,
    description: 'order=DESC returns ascending items (meta says DESC)',
    query: (q) => {
      if (q.order === 'DESC') {
        q.order = 'ASC';
        q.echoOrder = 'DESC';
      }
    },
  },
  {
    name: 'pagination-date-filter-ignored',
    area: 'pagination',
    caughtBy: 'date-filter',
    evidence: /outside|selects/,
    description: 'start_date and end_date are ignored on the valuation history',
    query: (q, c) => {
      if (isOp(c, 'listAccountValuations')) {
        delete q.start_date;
        delete q.end_date;
      }
    },
  },
  {
    name: 'pagination-repeat-late-page',
    area: 'pagination',
    caughtBy: 'pagination-traversal',
    evidence: /more than one page/,
    description: 'pages at offset ≥ 100 begin with the last item of the previous page',
    query: (q) => {
      if (q.offset >= 100 && q.limit > 0) {
        q.echoOffset = q.offset;
        q.offset -= 1;
      }
    },
  },
  {
    name: 'pagination-wrong-default-limit',
    area: 'pagination',
    caughtBy: 'pagination-meta',
    evidence: /meta\.limit|were due/,
    description: 'without limit, pages hold 50 items, not the documented 100',
    query: (q, c) => {
      if (c.rawQuery.limit === undefined) q.limit = 50;
    },
  },
  {
    name: 'pagination-sort-wrong-field',
    area: 'pagination',
    caughtBy: 'ordering',
    evidence: /ascending by status/,
    description: 'orders are sorted by created_at, not by status',
    body: (b, r, c) =>
      ok(r) &&
      isOp(c, 'listPortfolioRebalancingExecutionOrders') &&
      b.data.sort((x: Json, y: Json) => (x.created_at < y.created_at ? -1 : x.created_at > y.created_at ? 1 : 0)),
  },

  // Combinations: each parameter alone is right; together they are not.
  {
    name: 'pagination-desc-offset-ignored',
    area: 'pagination',
    caughtBy: 'list-combinations',
    evidence: /not the list's slice/,
    description: 'with order=DESC (only then) offset is ignored: every descending page starts at the first item (meta echoes the request)',
    query: (q) => {
      if (q.order === 'DESC' && q.offset > 0) {
        q.echoOffset = q.offset;
        q.offset = 0;
      }
    },
  },
  {
    name: 'date-filter-ignored-when-desc',
    area: 'pagination',
    caughtBy: 'list-combinations',
    evidence: /outside the range is returned when order=DESC/,
    description: 'the valuation history ignores start_date and end_date when order=DESC (only then)',
    query: (q, c) => {
      if (isOp(c, 'listAccountValuations') && c.rawQuery.order === 'DESC') {
        delete q.start_date;
        delete q.end_date;
      }
    },
  },

  // Errors.
  {
    name: 'problem-without-type',
    area: 'errors',
    caughtBy: 'error-shape',
    evidence: /has no type/,
    description: 'problem documents have no type',
    body: (b, r) => r.status >= 400 && delete b.type,
  },
  {
    name: 'problem-status-mismatch',
    area: 'errors',
    caughtBy: 'error-shape',
    evidence: /status differs/,
    description: 'every problem says status 400, whatever the HTTP status',
    body: (b, r) => r.status >= 400 && (b.status = 400),
  },
  {
    name: 'problem-request-id-mismatch',
    area: 'errors',
    caughtBy: 'error-shape',
    evidence: /request_id differs/,
    description: 'the problem’s request_id is not the header’s',
    body: (b, r) => r.status >= 400 && (b.request_id = '00000000-0000-4000-8000-000000000000'),
  },
  {
    name: 'problem-as-json',
    area: 'errors',
    caughtBy: 'content-type',
    evidence: /served as application\/json/,
    description: 'errors are served as application/json',
    response: (r) => (r.status >= 400 ? { ...r, headers: { ...r.headers, 'content-type': 'application/json' } } : r),
  },
  {
    name: 'error-500-instead-of-400',
    area: 'errors',
    caughtBy: 'input-validation',
    evidence: /answered 500/,
    description: 'malformed query parameters are answered 500',
    response: (r) => (r.status === 400 && /query parameter/.test(r.body ?? '') ? rewriteStatus(r, 500) : r),
  },
  {
    name: 'error-200-instead-of-404',
    area: 'errors',
    caughtBy: 'not-found',
    evidence: /answered 200/,
    description: 'an unknown account’s current valuation is answered 200 with the first account’s',
    response: (r, c) =>
      r.status === 404 && isOp(c, 'getCurrentAccountValuation')
        ? { ...r, status: 200, headers: { ...r.headers, 'content-type': 'application/json' }, body: JSON.stringify({ placeholder: true }) }
        : r,
  },
  {
    name: 'server-error-on-large-page',
    area: 'errors',
    caughtBy: 'no-server-error',
    evidence: /answered 500/,
    description: 'pages larger than 500 items fail with 500',
    response: (r, c) => (Number(c.rawQuery.limit) > 500 && r.status === 200 ? rewriteStatus(r, 500) : r),
  },

  // Headers.
  {
    name: 'header-request-id-missing-on-404',
    area: 'headers',
    caughtBy: 'response-headers',
    evidence: /404 response has no upvest-request-id/,
    description: '404 responses (only those) lack upvest-request-id',
    response: (r) => (r.status === 404 ? { ...r, headers: withoutHeader(r.headers, 'upvest-request-id') } : r),
  },
  {
    name: 'header-request-id-malformed',
    area: 'headers',
    caughtBy: 'response-headers',
    evidence: /upvest-request-id is not a uuid/,
    description: 'upvest-request-id is not a uuid (req_…)',
    response: (r) => ({
      ...r,
      headers: { ...r.headers, 'upvest-request-id': `req_${(r.headers['upvest-request-id'] ?? '').replace(/-/g, '')}` },
    }),
  },

  // Auth.
  {
    name: 'auth-missing-bearer-accepted',
    area: 'auth',
    caughtBy: 'auth',
    evidence: /no authorization header: answered/,
    description: 'a request without a bearer token is served',
    bypass: 'missing-bearer',
  },
  {
    name: 'auth-wrong-scope-accepted',
    area: 'auth',
    caughtBy: 'auth',
    evidence: /a token with only .*: answered/,
    description: 'a token without the operation’s scope is accepted',
    bypass: 'wrong-scope',
  },
  {
    name: 'auth-missing-client-id-accepted',
    area: 'auth',
    caughtBy: 'auth',
    evidence: /no upvest-client-id header: answered/,
    description: 'a request without upvest-client-id is served',
    bypass: 'missing-client-id',
  },
  {
    name: 'auth-invalid-signature-accepted',
    area: 'auth',
    caughtBy: 'auth',
    evidence: /signature that does not verify: answered/,
    description: 'a forged signature is accepted',
    bypass: 'invalid-signature',
  },

  {
    name: 'auth-signature-header-alone-unchecked',
    area: 'auth',
    caughtBy: 'auth',
    evidence: /signature header removed alone: answered 2/,
    description: 'the mock looks only for signature-input: a request whose signature header alone is missing is served unverified',
    bypass: 'signature-header-alone',
  },

  // Idempotency, identity, protocol.
  {
    name: 'idempotency-replay-creates-new',
    area: 'idempotency',
    caughtBy: 'idempotency',
    evidence: /replaying key K/,
    description: 'a replayed idempotency-key creates a new execution',
    bypass: 'idempotency',
  },
  {
    name: 'identity-other-account',
    area: 'identity',
    caughtBy: 'resource-identity',
    evidence: /another account_id/,
    description: 'one account’s valuation history (only that account) returns another account’s items',
    body: (b, r, c) =>
      ok(r) &&
      isOp(c, 'listAccountValuations') &&
      c.pathParams.account_id === c.secondAccountId &&
      b.data.forEach((v: Json) => (v.account_id = '00000000-0000-4000-8000-0000000000aa')),
  },
  {
    name: 'method-not-allowed-without-allow',
    area: 'protocol',
    caughtBy: 'method-not-allowed',
    evidence: /without an Allow header/,
    description: '405 responses have no Allow header',
    bypass: 'allow-header',
  },
  {
    name: 'accept-ignored',
    area: 'protocol',
    caughtBy: 'not-acceptable',
    evidence: /Accept: text\/html only: answered/,
    description: 'Accept: text/html is answered 200 with JSON',
    bypass: 'accept',
  },

  // Status codes, enum coverage, availability.
  {
    name: 'status-201-on-create',
    area: 'status',
    caughtBy: 'status-code',
    evidence: /answered 201|status 201 is not documented/,
    description: 'the trigger answers 201 Created, a status the operation does not document',
    response: (r, c) => (r.status === 200 && isOp(c, 'triggerPortfolioRebalancing') ? { ...r, status: 201 } : r),
  },
  {
    name: 'enum-cancelled-hidden',
    area: 'coverage',
    caughtBy: 'enum-coverage',
    evidence: /only \d+ of \d+ documented enum values/,
    description: 'cancelled orders are listed as PROCESSING, without their reason: CANCELLED is never seen',
    body: (b, r, c) =>
      ok(r) &&
      isOp(c, 'listPortfolioRebalancingExecutionOrders') &&
      b.data.forEach((o: Json) => {
        if (o.status !== 'CANCELLED') return;
        o.status = 'PROCESSING';
        delete o.cancellation_reason;
        delete o.cancellation_details;
      }),
  },
  {
    name: 'created-execution-not-yet-readable',
    area: 'availability',
    caughtBy: 'resource-availability',
    evidence: /of the resource just created was answered 404/,
    description: 'an execution created through the API is not found on its first read (eventual consistency)',
    response: (r, c) => {
      if (isOp(c, 'triggerPortfolioRebalancing') && r.status === 200 && r.body) {
        c.memory.add(`created:${(JSON.parse(r.body) as Json).id}`);
        return r;
      }
      const id = c.pathParams.execution_id;
      if (r.status !== 200 || !id || !c.memory.delete(`created:${id}`)) return r;
      return rewriteStatus(r, 404, 'not_found');
    },
  },

  // Side effects and what a created resource shows of its request.
  {
    name: 'refused-trigger-creates',
    area: 'side-effects',
    caughtBy: 'side-effects',
    evidence: /no request was answered with/,
    description: 'a trigger refused with 400 (its body breaks the schema) is carried out all the same: its orders appear as events',
    bypass: 'refused-creates',
  },
  {
    name: 'forbidden-trigger-creates',
    area: 'side-effects',
    caughtBy: 'side-effects',
    evidence: /no request was answered with/,
    description: 'a trigger refused with 403 (its token lacks the scope) is carried out all the same: its orders appear as events',
    bypass: 'forbidden-creates',
  },
  {
    name: 'execution-shows-other-account',
    area: 'side-effects',
    caughtBy: 'request-reflection',
    evidence: /\/accounts is not what the request asked for/,
    description: 'an execution created through the API lists another account than the one it was asked to rebalance',
    response: (r, c) => {
      if (isOp(c, 'triggerPortfolioRebalancing') && r.status === 200 && r.body) {
        c.memory.add(`api:${(JSON.parse(r.body) as Json).id}`);
        return r;
      }
      if (!isOp(c, 'retrievePortfolioRebalancingExecution') || r.status !== 200 || !r.body) return r;
      const body = JSON.parse(r.body) as Json;
      if (!c.memory.has(`api:${body.id}`) || !Array.isArray(body.accounts)) return r;
      return { ...r, body: JSON.stringify({ ...body, accounts: ['00000000-0000-4000-8000-0000000000aa'] }) };
    },
  },
  {
    name: 'filled-orders-change-account',
    area: 'side-effects',
    caughtBy: 'side-effects',
    evidence: /after its orders progressed: .*holds a value the request did not ask for/,
    description: 'once an order of an execution created through the API is FILLED (only then), it names another account',
    response: (r, c) => {
      if (isOp(c, 'triggerPortfolioRebalancing') && r.status === 200 && r.body) {
        c.memory.add(`api:${(JSON.parse(r.body) as Json).id}`);
        return r;
      }
      if (!isOp(c, 'listPortfolioRebalancingExecutionOrders') || r.status !== 200 || !r.body) return r;
      if (!c.memory.has(`api:${c.pathParams.execution_id}`)) return r;
      const body = JSON.parse(r.body) as Json;
      for (const o of body.data as Json[]) if (o.status === 'FILLED') o.account_id = '00000000-0000-4000-8000-0000000000bb';
      return { ...r, body: JSON.stringify(body) };
    },
  },

  // Webhooks.
  {
    name: 'webhook-invalid-event',
    area: 'webhooks',
    caughtBy: 'webhook-events',
    evidence: /\/object\/status/,
    description: 'emitted order events carry a lower-case status',
    event: (e) =>
      e.type?.startsWith('REBALANCING_EXECUTION_ORDER.') && e.object && (e.object.status = String(e.object.status).toLowerCase()),
  },
];

function rewriteStatus(response: MockResponse, status: number, type = 'internal_server_error'): MockResponse {
  const body = response.body ? (JSON.parse(response.body) as Json) : {};
  return {
    ...response,
    status,
    headers: { ...response.headers, 'content-type': 'application/problem+json' },
    body: JSON.stringify({
      type,
      status,
      title: type === 'not_found' ? 'Not Found' : 'Internal Server Error',
      detail: type === 'not_found' ? 'no such execution (yet)' : 'unexpected failure',
      request_id: body.request_id ?? response.headers['upvest-request-id'],
    }),
  };
}

function withoutHeader(headers: Record<string, string>, name: string): Record<string, string> {
  const { [name]: _removed, ...rest } = headers;
  return rest;
}

export class UnknownFaultError extends Error {}

/** The faults switched on for one mock. */
export class FaultSet {
  readonly active: Fault[];
  readonly memory = new Set<string>();

  constructor(names: readonly string[] = []) {
    this.active = names.map((name) => {
      const fault = FAULTS.find((f) => f.name === name);
      if (!fault) throw new UnknownFaultError(`unknown fault "${name}"; known: ${FAULTS.map((f) => f.name).join(', ')}`);
      return fault;
    });
  }

  get size(): number {
    return this.active.length;
  }

  bypasses(point: Bypass): boolean {
    return this.active.some((f) => f.bypass === point);
  }

  adjustQuery(query: Json, ctx: FaultContext): void {
    for (const fault of this.active) fault.query?.(query, ctx);
  }

  /** Apply body and response faults, and restore what adjustQuery must keep hidden from the client. */
  adjustResponse(response: MockResponse, query: Json, ctx: FaultContext): MockResponse {
    if (this.active.length === 0) return response;
    let out = response;
    const isJson = /json/.test(out.headers['content-type'] ?? '') && out.body;
    if (isJson) {
      const body = JSON.parse(out.body as string) as Json;
      if (isList(body)) {
        if (query.echoOffset !== undefined) body.meta.offset = query.echoOffset;
        if (query.echoLimit !== undefined) body.meta.limit = query.echoLimit;
        if (query.echoOrder !== undefined) body.meta.order = query.echoOrder;
      }
      for (const fault of this.active) fault.body?.(body, out, ctx);
      out = { ...out, body: JSON.stringify(body) };
    }
    for (const fault of this.active) if (fault.response) out = fault.response(out, ctx);
    return out;
  }

  adjustEvent<E>(event: E): E {
    for (const fault of this.active) fault.event?.(event as Json);
    return event;
  }
}
