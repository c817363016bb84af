/**
 * Events respelled: the same events with every date-time (or every decimal) written in one other
 * legal spelling, and a new event id, so that a consumer which deduplicates by id still parses
 * them. Where the values are is read from the event type's schema (format date-time, the decimal
 * pattern), so a field added to the spec is respelled too.
 */
import { createHash } from 'node:crypto';
import { choicePoints, type FormatPoint } from '../data/choice-points.js';
import type { Schema } from '../data/instance-generator.js';
import { DATE_TIME_SPELLINGS, DECIMAL_SPELLINGS, type Spelling } from '../data/spellings.js';
import { manifest, storedSchema } from '../spec/manifest.js';
import { validateBody } from '../spec/validate.js';

export interface RespelledDelivery {
  spelling: Spelling;
  format: FormatPoint['format'];
  /** The events that hold a value of the format, respelled (events without one are left out). */
  events: Record<string, unknown>[];
  /** How many values are in the spelling (some may have been spelled so already). */
  values: number;
}

/** Where an event type holds date-times and decimals, from its schema (cached per validator). */
const formatsOf = new Map<string, FormatPoint[]>();

export function formatPoints(type: string): FormatPoint[] | undefined {
  const entry = manifest.eventTypes.find((t) => t.type === type);
  if (!entry) return undefined;
  let points = formatsOf.get(entry.validator);
  if (!points) {
    points = choicePoints(storedSchema(entry.validator) as Schema).formats;
    formatsOf.set(entry.validator, points);
  }
  return points;
}

/** Rewrite every string at a wildcard pointer; returns how many the rewrite applied to. */
function rewriteAt(json: unknown, pointer: string, rewrite: (value: string) => string | undefined): number {
  const parts = pointer.split('/').slice(1);
  let changed = 0;
  const walk = (value: unknown, depth: number): void => {
    if (!value || typeof value !== 'object') return;
    const part = parts[depth];
    const keys = part === '*' ? (Array.isArray(value) ? value.map((_, i) => i) : []) : Array.isArray(value) ? [] : [part];
    for (const key of keys) {
      const container = value as Record<string | number, unknown>;
      if (depth < parts.length - 1) walk(container[key], depth + 1);
      else if (typeof container[key] === 'string') {
        const next = rewrite(container[key] as string);
        if (next !== undefined) {
          container[key] = next;
          changed++;
        }
      }
    }
  };
  walk(json, 0);
  return changed;
}

/** A uuid derived from an event id and a spelling: stable across runs, distinct per spelling. */
function derivedId(id: unknown, spelling: string): string {
  const hex = createHash('sha256')
    .update(`${String(id)} ${spelling}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * One delivery per spelling: of each event type, the first given event whose schema holds a value
 * of the spelling's format, respelled. Throws when a respelled event no longer validates: the spelling is wrong,
 * not the consumer.
 */
export function respelledDeliveries(events: Record<string, unknown>[]): RespelledDelivery[] {
  const out: RespelledDelivery[] = [];
  const families = [
    { format: 'date-time' as const, spellings: DATE_TIME_SPELLINGS },
    { format: 'decimal' as const, spellings: DECIMAL_SPELLINGS },
  ];
  for (const { format, spellings } of families) {
    for (const spelling of spellings) {
      const delivery: RespelledDelivery = { spelling, format, events: [], values: 0 };
      const types = new Set<string>();
      for (const event of events) {
        // One event per type holds every field of the type: enough to show a parser too narrow.
        if (types.has(String(event.type))) continue;
        const points = formatPoints(String(event.type))?.filter((p) => p.format === format) ?? [];
        if (points.length === 0) continue;
        const copy = structuredClone(event);
        let values = 0;
        for (const point of points) values += rewriteAt(copy, point.pointer, (value) => spelling.spell(value));
        if (values === 0) continue;
        copy.id = derivedId(event.id, spelling.name);
        const entry = manifest.eventTypes.find((t) => t.type === event.type)!;
        const validation = validateBody(entry.validator, copy);
        if (!validation.valid) {
          throw new Error(
            `spelling ${spelling.name} made an invalid ${String(event.type)} event: ` +
              `${validation.violations[0]?.instancePath} ${validation.violations[0]?.message}`,
          );
        }
        types.add(String(event.type));
        delivery.events.push(copy);
        delivery.values += values;
      }
      if (delivery.events.length > 0) out.push(delivery);
    }
  }
  return out;
}
