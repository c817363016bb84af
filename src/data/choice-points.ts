/** Where an instance of a schema can differ: nullable values, oneOf branches, formats of many spellings (pointers with `*`). */
import { DECIMAL_PATTERN, allowsNull, flattenAllOf, type Schema } from './instance-generator.js';

/** A value whose format has more than one spelling (src/data/spellings.ts). */
export interface FormatPoint {
  pointer: string;
  format: 'date-time' | 'decimal';
}

function typesOf(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === 'string') return [schema.type];
  return [];
}

export function choicePoints(
  schema: Schema,
  pointer = '',
  out = { nullable: [] as string[], oneOf: [] as { pointer: string; branches: number }[], formats: [] as FormatPoint[] },
) {
  if (pointer !== '' && allowsNull(schema)) out.nullable.push(pointer);
  const format = schema.format === 'date-time' ? 'date-time' : schema.pattern === DECIMAL_PATTERN ? 'decimal' : undefined;
  if (format && !out.formats.some((f) => f.pointer === pointer)) out.formats.push({ pointer, format });
  if (Array.isArray(schema.oneOf)) {
    const branches = (schema.oneOf as Schema[]).filter((b) => !(typesOf(b).length === 1 && typesOf(b)[0] === 'null'));
    if (branches.length > 1) out.oneOf.push({ pointer, branches: branches.length });
    for (const b of branches) choicePoints(b, pointer, out);
  }
  const flat = Array.isArray(schema.allOf) ? flattenAllOf(schema) : schema;
  for (const [name, sub] of Object.entries((flat.properties as Record<string, Schema>) ?? {})) choicePoints(sub, `${pointer}/${name}`, out);
  if (flat.items) choicePoints(flat.items as Schema, `${pointer}/*`, out);
  return out;
}
