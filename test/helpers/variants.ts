/**
 * Schema-driven variants of a valid instance, for proving the generated validators reject what
 * they must and accept what they must. Works on the stored (inlined) schemas.
 */
import { allowsNull, flattenAllOf, satisfies, type Schema } from '../../src/data/instance-generator.js';

export type InvalidKind = 'drop-required' | 'wrong-type' | 'out-of-enum' | 'broken-pattern' | 'broken-format' | 'null-not-nullable';

export interface Variant {
  kind: InvalidKind;
  pointer: string;
  instance: unknown;
}

const BROKEN_FORMAT: Record<string, string> = {
  uuid: 'not-a-uuid',
  'date-time': '2023-13-40T25:61:00Z',
  date: '2023-13-40',
};

function typesOf(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === 'string') return [schema.type];
  return [];
}

/** The schema that applies to a value: allOf folded, the matching oneOf branch chosen. */
export function effectiveSchema(schema: Schema, value: unknown): Schema {
  let current = schema;
  if (Array.isArray(current.oneOf)) {
    const branches = current.oneOf as Schema[];
    const match = branches.find((b) => {
      if (value === null) return typesOf(b).includes('null');
      if (typesOf(b).length === 1 && typesOf(b)[0] === 'null') return false;
      const flat = flattenAllOf(b);
      const required = (flat.required as string[]) ?? [];
      if (value && typeof value === 'object' && required.some((r) => !(r in (value as object)))) return false;
      return !(flat.not && satisfies(value, flat.not as Schema));
    });
    const { oneOf: _ignored, ...rest } = current;
    current = { ...rest, ...(match ?? {}) };
  }
  if (Array.isArray(current.allOf)) current = flattenAllOf(current);
  return current;
}

function wrongTypeValue(schema: Schema): unknown {
  const types = typesOf(schema);
  const effective = types.length > 0 ? types : Array.isArray(schema.enum) || schema.const !== undefined ? ['string'] : [];
  if (effective.length === 0) return undefined;
  if (!effective.includes('number') && !effective.includes('integer')) return 12345;
  if (!effective.includes('string')) return '12';
  return { unexpected: 'object' };
}

function brokenPattern(pattern: string): string | undefined {
  const re = new RegExp(pattern, 'u');
  return ['x!', '1.2.3', ' ', 'Not A Match'].find((candidate) => !re.test(candidate));
}

function setAt(root: unknown, path: (string | number)[], value: unknown, remove = false): unknown {
  const copy = structuredClone(root);
  if (path.length === 0) return value;
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (remove) delete node[last];
  else node[last] = value;
  return copy;
}

const pointerOf = (path: (string | number)[]) => (path.length === 0 ? '' : `/${path.join('/')}`);

/** Every single-fault invalid variant of `base` under `schema`. */
export function invalidVariants(schema: Schema, base: unknown): Variant[] {
  const out: Variant[] = [];
  const visit = (node: Schema, value: unknown, path: (string | number)[]) => {
    const s = effectiveSchema(node, value);
    const pointer = pointerOf(path);
    const wrong = wrongTypeValue(s);
    if (wrong !== undefined) out.push({ kind: 'wrong-type', pointer, instance: setAt(base, path, wrong) });
    if (Array.isArray(s.enum) || s.const !== undefined)
      out.push({ kind: 'out-of-enum', pointer, instance: setAt(base, path, 'ZZ_NOT_DOCUMENTED') });
    if (typeof s.pattern === 'string' && typeof value === 'string') {
      const broken = brokenPattern(s.pattern);
      if (broken !== undefined) out.push({ kind: 'broken-pattern', pointer, instance: setAt(base, path, broken) });
    }
    if (typeof s.format === 'string' && typeof value === 'string' && BROKEN_FORMAT[s.format]) {
      out.push({ kind: 'broken-format', pointer, instance: setAt(base, path, BROKEN_FORMAT[s.format]) });
    }
    if (value !== null && !allowsNull(node)) out.push({ kind: 'null-not-nullable', pointer, instance: setAt(base, path, null) });
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const properties = (s.properties as Record<string, Schema>) ?? {};
      for (const name of (s.required as string[]) ?? []) {
        if (name in (value as object))
          out.push({ kind: 'drop-required', pointer: `${pointer}/${name}`, instance: setAt(base, [...path, name], undefined, true) });
      }
      for (const [name, sub] of Object.entries(properties)) {
        if (name in (value as object)) visit(sub, (value as Record<string, unknown>)[name], [...path, name]);
      }
    }
    if (Array.isArray(value) && value.length > 0 && s.items) visit(s.items as Schema, value[0], [...path, 0]);
  };
  visit(schema, base, []);
  return out;
}

export { choicePoints } from '../../src/data/choice-points.js';
