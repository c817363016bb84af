/**
 * Building requests for an operation from the manifest and the environment: the documented
 * happy request, from which the checks derive their variants.
 */
import { randomUUID } from 'node:crypto';
import type { ApiRequest } from '../client/upvest-client.js';
import type { ManifestOperation } from '../spec/manifest-types.js';
import type { CheckEnvironment, Expectation, ProbeInput, ProbeKind } from './types.js';

export interface RequestOptions {
  /** Path parameter values to use instead of the primary ones. */
  pathParams?: Record<string, string>;
  /** Query parameters (the required ones are added unless omitted). */
  query?: [string, string][];
  omitRequiredQuery?: string[];
}

/** The least-privileged scope set the operation accepts. */
export function scopesFor(operation: ManifestOperation): string[] {
  return operation.scopes[0] ?? [];
}

/** A fresh idempotency key (a v4 UUID, which the documented pattern accepts). */
export function newIdempotencyKey(): string {
  return randomUUID();
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
  for (const p of operation.parameters.filter((x) => x.in === 'path')) {
    pathParams[p.name] = options.pathParams?.[p.name] ?? env.pathValues[p.name]?.[0] ?? '';
  }
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
  if (operation.parameters.some((p) => p.name === 'idempotency-key')) request.idempotencyKey = newIdempotencyKey();
  return { request, pathParams };
}

export interface ProbeOptions extends RequestOptions {
  id: string;
  kind: ProbeKind;
  purpose: string;
  /** Turns the documented request into this probe's (remove a header, break a value, …). */
  change?: (request: ApiRequest) => ApiRequest;
  expect?: Expectation;
}

/** A probe: a variant of the operation's documented request. */
export function probe(what: { operation: ManifestOperation; env: CheckEnvironment }, options: ProbeOptions): ProbeInput {
  const { request, pathParams } = requestFor(what.operation, what.env, options);
  return {
    id: options.id,
    kind: options.kind,
    purpose: options.purpose,
    request: options.change ? options.change(request) : request,
    pathParams,
    ...(options.expect ? { expect: options.expect } : {}),
  };
}
