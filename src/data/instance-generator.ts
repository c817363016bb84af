/**
 * Deterministic, schema-driven instances of the spec's body schemas (as stored in
 * generated/schemas.json). Every property is generated, so a base instance exercises every
 * field; `choices` steer enum values, oneOf branches, nulls and omissions by instance pointer
 * (`*` standing for any array index). Conditions (if/then/else) are honoured, so the
 * instance validates: an order is CANCELLED exactly when it carries a cancellation_reason,
 * an event's object status matches the event type.
 */
import { Faker, en } from '@faker-js/faker';
import { withCheckDigit } from './isin.js';

export type Schema = { [key: string]: unknown };

export type Choice = { enum: string | number } | { branch: number } | { null: true } | { omit: true } | { length: number };

export interface GenerateOptions {
  seed?: number;
  faker?: Faker;
  choices?: Record<string, Choice>;
  /** Items per array when no choice says otherwise. */
  arrayLength?: number;
}

export const DECIMAL_PATTERN = '^-?[0-9]{0,63}(\\.[0-9]{1,27})?$';
export const ISIN_PATTERN = '^[A-Z]{2}[A-Z0-9]{9}[0-9]$';

const REFERENCE_START = Date.UTC(2023, 0, 1);
const REFERENCE_END = Date.UTC(2024, 11, 31);

export function createFaker(seed: number): Faker {
  const faker = new Faker({ locale: [en] });
  faker.seed(seed);
  return faker;
}

export function randomIsin(faker: Faker): string {
  const country = faker.helpers.arrayElement(['DE', 'FR', 'IE', 'LU', 'NL', 'US', 'SE', 'GB']);
  return withCheckDigit(`${country}${faker.string.alphanumeric({ length: 9, casing: 'upper' })}`);
}

function types(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === 'string') return [schema.type];
  return [];
}

/** True when the schema accepts `null` (3.1 style: a `null` type or a `null` oneOf branch). */
export function allowsNull(schema: Schema): boolean {
  if (types(schema).includes('null')) return true;
  if (Array.isArray(schema.oneOf)) return (schema.oneOf as Schema[]).some(allowsNull);
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Schema[]).some(allowsNull);
  return false;
}

interface Conditional {
  if: Schema;
  then?: Schema;
  else?: Schema;
}

/** Fold allOf members into one object schema: properties merged, required united, conditions kept in order. */
export function flattenAllOf(schema: Schema): Schema & { conditionals: Conditional[] } {
  const out: Schema & { conditionals: Conditional[] } = { ...schema, conditionals: [] };
  delete out.allOf;
  const properties: Record<string, Schema> = { ...((schema.properties as Record<string, Schema>) ?? {}) };
  const required = new Set<string>((schema.required as string[]) ?? []);
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else, never awaited.
  if (schema.if) out.conditionals.push({ if: schema.if as Schema, then: schema.then as Schema, else: schema.else as Schema });
  delete out.if;
  delete out.then;
  delete out.else;
  for (const member of (schema.allOf as Schema[]) ?? []) {
    const flat = flattenAllOf(member);
    for (const [name, sub] of Object.entries((flat.properties as Record<string, Schema>) ?? {})) {
      properties[name] = properties[name] ? mergeSchemas(properties[name], sub) : sub;
    }
    for (const name of (flat.required as string[]) ?? []) required.add(name);
    out.conditionals.push(...flat.conditionals);
    for (const key of ['type', 'not', 'oneOf'] as const) if (flat[key] !== undefined && out[key] === undefined) out[key] = flat[key];
  }
  if (Object.keys(properties).length > 0) out.properties = properties;
  if (required.size > 0) out.required = [...required];
  return out;
}

function mergeSchemas(a: Schema, b: Schema): Schema {
  const merged: Schema = { ...a, ...b };
  if (a.properties || b.properties) {
    const props: Record<string, Schema> = { ...((a.properties as Record<string, Schema>) ?? {}) };
    for (const [name, sub] of Object.entries((b.properties as Record<string, Schema>) ?? {}))
      props[name] = props[name] ? mergeSchemas(props[name], sub) : sub;
    merged.properties = props;
  }
  return merged;
}

/** Does `value` satisfy a condition schema? Conditions in this spec use type, properties, const and required. */
export function satisfies(value: unknown, condition: Schema): boolean {
  if (condition.const !== undefined) return value === condition.const;
  if (Array.isArray(condition.enum)) return (condition.enum as unknown[]).includes(value);
  const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
  if (condition.type === 'object' && !isObject) return false;
  if (!isObject) return true;
  const record = value as Record<string, unknown>;
  for (const name of (condition.required as string[]) ?? []) if (!(name in record)) return false;
  for (const [name, sub] of Object.entries((condition.properties as Record<string, Schema>) ?? {})) {
    if (name in record && !satisfies(record[name], sub)) return false;
  }
  if (condition.not && satisfies(value, condition.not as Schema)) return false;
  return true;
}

export class InstanceGenerator {
  readonly faker: Faker;
  private readonly choices: Record<string, Choice>;
  private readonly arrayLength: number;

  constructor(options: GenerateOptions = {}) {
    this.faker = options.faker ?? createFaker(options.seed ?? 1);
    this.choices = options.choices ?? {};
    this.arrayLength = options.arrayLength ?? 2;
  }

  generate(schema: Schema, pointer = ''): unknown {
    const choice = this.choices[pointer];
    if (choice && 'null' in choice) {
      if (!allowsNull(schema)) throw new Error(`choice null at ${pointer || '/'} but the schema does not allow null`);
      return null;
    }
    if (schema.const !== undefined) return schema.const;
    if (Array.isArray(schema.enum)) {
      const values = schema.enum as (string | number)[];
      if (choice && 'enum' in choice) {
        if (!values.includes(choice.enum)) throw new Error(`choice ${choice.enum} at ${pointer || '/'} is not one of ${values.join(', ')}`);
        return choice.enum;
      }
      return this.faker.helpers.arrayElement(values);
    }
    if (Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf)) {
      const branches = ((schema.oneOf ?? schema.anyOf) as Schema[]).filter((b) => !(types(b).length === 1 && types(b)[0] === 'null'));
      const index = choice && 'branch' in choice ? choice.branch : 0;
      const branch = branches[index];
      if (!branch) throw new Error(`choice branch ${index} at ${pointer || '/'}: there are ${branches.length} non-null branches`);
      const { oneOf: _o, anyOf: _a, ...rest } = schema;
      return this.generate(mergeSchemas(rest, branch), pointer);
    }
    if (Array.isArray(schema.allOf) || schema.if) return this.generateObject(flattenAllOf(schema), pointer);
    const type = types(schema).find((t) => t !== 'null') ?? (schema.properties ? 'object' : 'string');
    switch (type) {
      case 'object':
        return this.generateObject(flattenAllOf(schema), pointer);
      case 'array': {
        const length = choice && 'length' in choice ? choice.length : this.arrayLength;
        return Array.from({ length }, () => this.generate((schema.items as Schema) ?? {}, `${pointer}/*`));
      }
      case 'integer':
        return this.faker.number.int({ min: (schema.minimum as number) ?? 0, max: (schema.maximum as number) ?? 1000 });
      case 'number':
        return this.faker.number.float({ min: 0, max: 1000, fractionDigits: 2 });
      case 'boolean':
        return this.faker.datatype.boolean();
      default:
        return this.generateString(schema, pointer);
    }
  }

  private generateObject(schema: Schema & { conditionals: Conditional[] }, pointer: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const properties = (schema.properties as Record<string, Schema>) ?? {};
    for (const [name, sub] of Object.entries(properties)) {
      const at = `${pointer}/${name}`;
      const choice = this.choices[at];
      if (choice && 'omit' in choice) continue;
      out[name] = this.generate(sub, at);
    }
    this.applyConditionals(out, schema, pointer);
    return out;
  }

  private applyConditionals(target: Record<string, unknown>, schema: Schema & { conditionals: Conditional[] }, pointer: string) {
    const properties = (schema.properties as Record<string, Schema>) ?? {};
    for (const conditional of schema.conditionals) {
      const branch = satisfies(target, conditional.if) ? conditional.then : conditional.else;
      if (branch) this.apply(target, branch, properties, pointer);
    }
    if (schema.not && satisfies(target, schema.not as Schema)) {
      for (const name of ((schema.not as Schema).required as string[]) ?? []) delete target[name];
    }
  }

  /** Make `target` satisfy a then/else fragment: add what it requires, set its consts, drop what it forbids. */
  private apply(target: Record<string, unknown>, fragment: Schema, properties: Record<string, Schema>, pointer: string) {
    for (const name of (fragment.required as string[]) ?? []) {
      if (!(name in target) && properties[name]) target[name] = this.generate(properties[name], `${pointer}/${name}`);
    }
    for (const [name, sub] of Object.entries((fragment.properties as Record<string, Schema>) ?? {})) {
      if (sub.const !== undefined) target[name] = sub.const;
      else if (target[name] && typeof target[name] === 'object' && properties[name]) {
        const nestedSchema = flattenAllOf(properties[name]);
        const nested = target[name] as Record<string, unknown>;
        this.apply(nested, sub, (nestedSchema.properties as Record<string, Schema>) ?? {}, `${pointer}/${name}`);
        // A const set from outside (an event type fixing the status) can change which of the
        // nested object's own conditions hold: apply them again.
        this.applyConditionals(nested, nestedSchema, `${pointer}/${name}`);
      }
    }
    const not = fragment.not as Schema | undefined;
    if (not) for (const name of (not.required as string[]) ?? []) delete target[name];
  }

  private generateString(schema: Schema, pointer: string): string {
    switch (schema.format) {
      case 'uuid':
        return this.faker.string.uuid();
      case 'date-time':
        return this.faker.date
          .between({ from: REFERENCE_START, to: REFERENCE_END })
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z');
      case 'date':
        return this.faker.date.between({ from: REFERENCE_START, to: REFERENCE_END }).toISOString().slice(0, 10);
      case 'uri-reference':
        return `/errors/${this.faker.string.uuid()}`;
      default:
        break;
    }
    if (schema.pattern === DECIMAL_PATTERN) return this.faker.finance.amount({ min: 0, max: 10_000, dec: 2 });
    if (schema.pattern === ISIN_PATTERN) return randomIsin(this.faker);
    if (typeof schema.pattern === 'string') {
      throw new Error(`no generator for pattern ${schema.pattern} at ${pointer || '/'}: add one to src/data/instance-generator.ts`);
    }
    const leaf = pointer.slice(pointer.lastIndexOf('/') + 1);
    if (leaf === 'name') return this.faker.company.name();
    return this.faker.lorem.words(3);
  }
}

export function generateInstance(schema: Schema, options: GenerateOptions = {}): unknown {
  return new InstanceGenerator(options).generate(schema);
}
