/**
 * What a created resource shows of the request that created it, as the spec ties them
 * (x-reflects): a set of values the same as the request's, or each value one of them. Shared by
 * request-reflection (read back at once) and side-effects (read back after the orders progressed).
 */
import type { ManifestReflection } from '../spec/manifest-types.js';
import { presentValuesAt, show } from './util.js';

export interface ReflectionProblem {
  message: string;
  received: string;
  expected: string;
}

/**
 * The values at a pointer, lower-cased; an array found there is its items (`/accounts` names a
 * set of accounts: compared as one joined string, the same set in another order would differ).
 */
function valuesOf(body: unknown, pointer: string): string[] {
  return presentValuesAt(body, pointer)
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .map((v) => String(v).toLowerCase());
}

/** Undefined when the reader's body reflects the request (or does not carry the field: an optional field is not judged). */
export function reflectionProblem(reflection: ManifestReflection, request: unknown, response: unknown): ReflectionProblem | undefined {
  const asked = valuesOf(request, reflection.request);
  const shown = valuesOf(response, reflection.response);
  if (shown.length === 0 || asked.length === 0) return undefined;
  const askedSet = new Set(asked);
  if (reflection.relation === 'member') {
    const stranger = shown.find((v) => !askedSet.has(v));
    if (stranger === undefined) return undefined;
    return {
      message: `${reflection.response} holds a value the request did not ask for`,
      received: show(stranger),
      expected: `one of ${asked.map((v) => show(v)).join(', ')} (${reflection.request} of the request)`,
    };
  }
  const shownSet = new Set(shown);
  const missing = asked.filter((v) => !shownSet.has(v));
  const extra = shown.filter((v) => !askedSet.has(v));
  if (missing.length === 0 && extra.length === 0) return undefined;
  return {
    message: `${reflection.response} is not what the request asked for (${missing.length} missing, ${extra.length} other)`,
    received: shown.map((v) => show(v)).join(', '),
    expected: `${asked.map((v) => show(v)).join(', ')} (${reflection.request} of the request)`,
  };
}
