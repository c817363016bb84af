/**
 * Building requests for an operation from the manifest and the environment: the documented
 * happy request, from which the checks derive their variants.
 */
import type { ApiRequest } from '../client/upvest-client.js';
import { UpvestClient } from '../client/upvest-client.js';
import type { ManifestOperation } from '../spec/manifest-types.js';
import type { CheckEnvironment, Probe } from './types.js';

export interface RequestOptions {
  /** Path parameter values to use instead of the primary ones. */
  pathParams?: Record<string, string>;
  /** Query parameters (the required ones are added unless `omitRequired`). */
  query?: [string, string][];
  omitRequiredQuery?: string[];
}

/** The least-privileged scope set the operation accepts. */
export function scopesFor(operation: ManifestOperation): string[] {
  return operation.scopes[0] ?? [];
}

export function fillPath(template: string, params: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? `{${name}}`));
}

/** The documented happy request, and the path parameters it used. */
export function requestFor(
  operation: ManifestOperation,
  env: CheckEnvironment,
  options: RequestOptions = {},
): { request: ApiRequest; pathParams: Record<string, string> } {
  const pathParams: Record<string, string> = {};
  for (const p of operation.parameters.filter((x) => x.in === 'path'))
    pathParams[p.name] = options.pathParams?.[p.name] ?? env.pathValues[p.name]?.[0] ?? '';
  const query: [string, string][] = [];
  for (const p of operation.parameters.filter((x) => x.in === 'query' && x.required)) {
    if (options.omitRequiredQuery?.includes(p.name) || options.query?.some(([name]) => name === p.name)) continue;
    const value = env.queryValues[p.name];
    if (value !== undefined) query.push([p.name, value]);
  }
  query.push(...(options.query ?? []));
  const request: ApiRequest = {
    method: operation.method,
    path: fillPath(operation.path, pathParams),
    query,
    auth: { scopes: scopesFor(operation) },
  };
  if (operation.requestBody) request.body = env.requestBody;
  if (operation.parameters.some((p) => p.name === 'idempotency-key')) request.idempotencyKey = UpvestClient.idempotencyKey();
  return { request, pathParams };
}

/** A probe for a variant of the happy request. */
export function probe(
  operation: ManifestOperation,
  env: CheckEnvironment,
  id: string,
  purpose: string,
  change: (request: ApiRequest) => ApiRequest = (r) => r,
  options: RequestOptions & Pick<Probe, 'expect' | 'foreign'> & { tags?: Record<string, unknown> } = {},
): Omit<Probe, 'owner'> {
  const { request, pathParams } = requestFor(operation, env, options);
  return { id, purpose, request: change(request), expect: options.expect, foreign: options.foreign, tags: { pathParams, ...options.tags } };
}

/**
 * Statuses that refuse malformed input: 400 where the operation documents it; otherwise the
 * client errors it does document (the retrieve operation documents no 400, so a malformed id
 * can only be an unknown one, 404, or a refused request, 401/403).
 */
export function badRequestStatuses(operation: ManifestOperation): number[] {
  const documented = operation.responses.map((r) => Number(r.status));
  if (documented.includes(400)) return [400];
  return documented.filter((s) => s >= 400 && s < 500 && ![405, 406, 429].includes(s));
}
