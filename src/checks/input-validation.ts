/**
 * input-validation: every documented constraint of a parameter or of the request body, broken
 * one at a time, is refused with 400. The cases are derived from the manifest and the stored
 * request-body schema, never listed by hand: a constraint added to the spec adds a case.
 */
import type { ApiRequest } from '../client/upvest-client.js';
import type { ManifestOperation, ManifestParameter } from '../spec/manifest-types.js';
import type { SpecView } from '../spec/spec-view.js';
import { judge } from './expectations.js';
import { convention, documented } from './basis.js';
import { probe } from './requests.js';
import type { Check, CheckEnvironment, Expectation, ProbeInput } from './types.js';

/** Headers whose absence or corruption is an authentication matter (the auth check's). */
const AUTH_HEADERS = new Set(['authorization', 'signature', 'signature-input', 'upvest-client-id']);

const BROKEN_FORMAT: Record<string, string> = { uuid: 'not-a-uuid', date: '2024-13-45', 'date-time': '2024-13-45T25:61:00Z' };

interface Breakage {
  id: string;
  purpose: string;
  value: string | null;
}

/** Each way the parameter's documented constraints can be broken by one value (null: omitted). */
export function breakages(parameter: ManifestParameter): Breakage[] {
  const c = parameter.constraints;
  const out: Breakage[] = [];
  const add = (kind: string, purpose: string, value: string | null) =>
    out.push({ id: `${parameter.in}:${parameter.name}:${kind}`, purpose, value });
  if (parameter.required && c.default === undefined && parameter.in !== 'path')
    add('missing', `${parameter.name} omitted (required)`, null);
  if (c.type === 'integer' || c.type === 'number') {
    if (c.minimum !== undefined) add('below-minimum', `${parameter.name}=${c.minimum - 1} (minimum ${c.minimum})`, String(c.minimum - 1));
    if (c.maximum !== undefined) add('above-maximum', `${parameter.name}=${c.maximum + 1} (maximum ${c.maximum})`, String(c.maximum + 1));
    add('not-a-number', `${parameter.name}=abc (not ${c.type === 'integer' ? 'an integer' : 'a number'})`, 'abc');
    if (c.type === 'integer') add('fraction', `${parameter.name}=1.5 (not an integer)`, '1.5');
  }
  if (c.enum) add('not-in-enum', `${parameter.name}=ZZ_UNDOCUMENTED (allowed: ${c.enum.join(', ')})`, 'ZZ_UNDOCUMENTED');
  if (c.format && BROKEN_FORMAT[c.format])
    add('bad-format', `${parameter.name}=${BROKEN_FORMAT[c.format]} (not a ${c.format})`, BROKEN_FORMAT[c.format]);
  else if (c.pattern) add('bad-pattern', `${parameter.name}=not-matching (pattern ${c.pattern})`, 'not-matching');
  return out;
}

function withParameter(request: ApiRequest, parameter: ManifestParameter, value: string | null): ApiRequest {
  if (parameter.in === 'query') {
    const query = (request.query as [string, string][]).filter(([name]) => name !== parameter.name);
    if (value !== null) query.push([parameter.name, value]);
    return { ...request, query };
  }
  if (parameter.in === 'header') {
    if (parameter.name === 'idempotency-key') return { ...request, idempotencyKey: value };
    return { ...request, headers: { ...request.headers, [parameter.name]: value } };
  }
  return request; // path parameters are set when the request is built
}

type JsonSchema = Record<string, unknown>;

/**
 * Broken request bodies, from the stored schema: per oneOf branch an extra property, a wrong
 * type, a malformed item; then neither and both branches.
 */
export function bodyBreakages(
  operation: ManifestOperation,
  env: CheckEnvironment,
  spec: SpecView,
): { id: string; purpose: string; body?: unknown; raw?: { text: string; contentType: string } }[] {
  if (!operation.requestBody) return [];
  const schema = spec.storedSchema(operation.requestBody.validator) as JsonSchema;
  const branches = (schema.oneOf as JsonSchema[] | undefined) ?? [schema];
  const sampleId = (env.pathValues.account_id ?? [])[0] ?? '8f3b6a52-2c1d-4e7f-9a0b-3c4d5e6f7a8b';
  const valid = (branch: JsonSchema) =>
    Object.fromEntries(
      ((branch.required as string[]) ?? []).map((name) => [
        name,
        (branch.properties as Record<string, JsonSchema>)[name].type === 'array' ? [sampleId] : sampleId,
      ]),
    );
  const out: ReturnType<typeof bodyBreakages> = [];
  branches.forEach((branch) => {
    const label = String(branch.title ?? (branch.required as string[])?.join('+'));
    const base = valid(branch);
    if (branch.additionalProperties === false)
      out.push({
        id: `body:${label}:extra-property`,
        purpose: `${label} body with an undocumented property`,
        body: { ...base, undocumented_field: true },
      });
    for (const [name, property] of Object.entries((branch.properties as Record<string, JsonSchema>) ?? {})) {
      if (property.type === 'array') {
        out.push({
          id: `body:${label}:${name}:wrong-type`,
          purpose: `${label} body whose ${name} is a string, not an array`,
          body: { ...base, [name]: sampleId },
        });
        const items = property.items as JsonSchema | undefined;
        if (items?.format && BROKEN_FORMAT[String(items.format)])
          out.push({
            id: `body:${label}:${name}:bad-item`,
            purpose: `${label} body whose ${name} holds a non-${String(items.format)} item`,
            body: { ...base, [name]: [BROKEN_FORMAT[String(items.format)]] },
          });
      }
    }
  });
  if (branches.length > 1) {
    out.push({ id: 'body:no-branch', purpose: 'a body matching none of the alternatives ({})', body: {} });
    out.push({
      id: 'body:both-branches',
      purpose: 'a body with the fields of every alternative',
      body: Object.assign({}, ...branches.map(valid)),
    });
  }
  out.push({ id: 'body:not-json', purpose: 'a body that is not JSON', raw: { text: '{"accounts": [', contentType: 'application/json' } });
  if (operation.requestBody.required)
    out.push({ id: 'body:missing', purpose: 'no body (required)', raw: { text: '', contentType: 'application/json' } });
  return out;
}

/** Every negative case of the operation: parameters and body. */
export function inputValidationCases(what: { operation: ManifestOperation; env: CheckEnvironment; spec: SpecView }): ProbeInput[] {
  const { operation, env, spec } = what;
  // Where the operation documents 400, a broken input expects it; elsewhere any refusal will do
  // (status-code reports a refusal the operation does not document, once).
  const documents400 = operation.responses.some((r) => r.status === '400');
  const refusal = (reason: string, ...where: string[]): Expectation =>
    documents400
      ? { statuses: [400], reason, basis: documented(operation, 'responses', '400') }
      : { statuses: [], anyRefusal: true, reason, basis: documented(operation, ...where) };
  const cases: ProbeInput[] = [];
  for (const parameter of operation.parameters.filter((p) => !AUTH_HEADERS.has(p.name))) {
    for (const b of breakages(parameter)) {
      cases.push(
        probe(what, {
          id: b.id,
          kind: 'negative',
          purpose: b.purpose,
          change: (r) => withParameter(r, parameter, b.value),
          expect: parameter.convention
            ? { ...refusal(`${parameter.in} parameter ${parameter.name} breaks its constraint`), basis: convention(parameter.convention) }
            : refusal(`${parameter.in} parameter ${parameter.name} breaks its documented constraint`, 'parameters', parameter.name),
          omitRequiredQuery: b.value === null ? [parameter.name] : undefined,
          pathParams: parameter.in === 'path' ? { [parameter.name]: b.value ?? '' } : undefined,
        }),
      );
    }
  }
  for (const b of bodyBreakages(operation, env, spec)) {
    cases.push(
      probe(what, {
        id: b.id,
        kind: 'negative',
        purpose: b.purpose,
        change: (r) => ({ ...r, body: b.raw ? undefined : b.body, rawBody: b.raw }),
        expect: refusal('the request body breaks its documented schema', 'requestBody'),
      }),
    );
  }
  return cases;
}

export const inputValidation: Check = {
  name: 'input-validation',
  title: 'Each documented parameter and body constraint, broken, is refused (with 400 where documented)',
  severity: 'error',
  scope: 'operation',
  appliesTo: (what) => (inputValidationCases(what).length > 0 ? true : 'the operation has no constrained input'),
  start(ctx) {
    const cases = inputValidationCases(ctx);
    return {
      async exercise(x) {
        for (const result of await x.sendAll(cases)) judge(ctx, result);
        ctx.stat('cases', cases.length);
      },
    };
  },
};
