/** Validation of webhook events against the spec: the validator of their type, or "unknown type". */
import { manifest } from '../spec/manifest.js';
import { validateBody, type BodyValidation } from '../spec/validate.js';

export interface EventVerdict {
  id?: string;
  type?: string;
  /** The event type is not documented (a future type, or a typo). */
  unknownType: boolean;
  validation?: BodyValidation;
}

export function validateEvent(event: unknown): EventVerdict {
  const e = (event && typeof event === 'object' ? event : {}) as { id?: unknown; type?: unknown };
  const type = typeof e.type === 'string' ? e.type : undefined;
  const id = typeof e.id === 'string' ? e.id : undefined;
  const entry = manifest.eventTypes.find((t) => t.type === type);
  if (!entry) return { id, type, unknownType: true };
  return { id, type, unknownType: false, validation: validateBody(entry.validator, event) };
}
