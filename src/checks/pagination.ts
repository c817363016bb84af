/** Shared reading of list requests and responses for the pagination checks. */
import type { ManifestOperation } from '../spec/manifest-types.js';
import { documented } from './basis.js';
import type { CheckContext, ProbeResult } from './types.js';
import { fieldOf, isList } from './util.js';

export interface ListPage {
  offset: number;
  limit: number;
  count: number;
  totalCount: number;
  sort?: unknown;
  order?: unknown;
  items: unknown[];
}

export function queryOf(result: ProbeResult): Map<string, string> {
  const query = result.probe.request.query;
  return new Map(Array.isArray(query) ? query : []);
}

/** A 200 list response as a page, or undefined when it is not one. */
export function pageOf(result: ProbeResult): ListPage | undefined {
  if (result.status !== 200 || !isList(result.json)) return undefined;
  const { meta, data } = result.json;
  return {
    offset: meta.offset as number,
    limit: meta.limit as number,
    count: meta.count as number,
    totalCount: meta.total_count as number,
    sort: meta.sort,
    order: meta.order,
    items: data,
  };
}

export function defaultOf(operation: ManifestOperation, name: string): unknown {
  return operation.parameters.find((p) => p.in === 'query' && p.name === name)?.constraints.default;
}

/** An item's id, or undefined when it carries none (then nothing that tells items apart can be judged). */
export function idOf(operation: ManifestOperation, item: unknown): string | undefined {
  const id = fieldOf(item, operation.pagination?.id ?? '/id');
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/** Why ids cannot be compared, when some item has none: the premise of the id checks is missing. */
export function missingIdsReason(operation: ManifestOperation, items: unknown[]): string | undefined {
  const at = items.findIndex((item) => idOf(operation, item) === undefined);
  if (at < 0) return undefined;
  const pointer = operation.pagination?.id ?? '/id';
  return `item ${at} carries no id at ${pointer}, so items cannot be told apart (response-schema reports the missing field)`;
}

/** Query values an operation documents for a parameter (its enum), or []. */
export function enumOf(operation: ManifestOperation, name: string): (string | number)[] {
  return operation.parameters.find((p) => p.in === 'query' && p.name === name)?.constraints.enum ?? [];
}

export const MAX_LIMIT = 1000;

export function maxLimit(operation: ManifestOperation): number {
  return (operation.parameters.find((p) => p.name === 'limit')?.constraints.maximum as number | undefined) ?? MAX_LIMIT;
}

/**
 * A valid list request that got no list page. Another status than 200 is this check's finding
 * (every parameter sent is documented; status-code accepts a documented 400 as a status). A 200
 * whose body is no list is response-schema's, so the check abstains; a transport error is the
 * engine's. Never a silent pass: the check could not judge what it was for.
 */
export function notAPage(ctx: Pick<CheckContext, 'fail' | 'skip' | 'operation'>, result: ProbeResult): void {
  if (result.error) return;
  if (result.status === 200) {
    ctx.skip(`the answer to ${result.probe.purpose} is not a list page (response-schema reports its body)`);
    return;
  }
  ctx.fail({
    key: `not-a-page ${result.status}`,
    message: `a valid list request was answered ${result.status} (${result.probe.purpose})`,
    received: String(result.status),
    expected: '200 with a list page: every parameter of the request is documented',
    basis: documented(ctx.operation, 'responses', '200'),
    result,
  });
}
