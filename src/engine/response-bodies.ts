/**
 * An operation's parsed response bodies. A target answers many probes with the very same bytes (a
 * list asked in ways that change nothing about its first page), and the same bytes parse to the
 * same value: it is parsed once, by the SHA-256 of its bytes, and validated once (validations
 * are kept per value, `validationOf`). Every value is deep-frozen, so no check can change what
 * another judges; a check that tried would crash, visibly, as its own error.
 */
import { createHash } from 'node:crypto';
import { firstBytes } from '../client/transport-errors.js';

export interface ParsedBody {
  json?: unknown;
  jsonError?: string;
}

export interface ResponseBodiesOptions {
  /** Bodies smaller than this are parsed each time: hashing them costs about what parsing does. */
  minBytes?: number;
  /** Bytes of distinct bodies kept for reuse; past it, new bodies are parsed and not kept. */
  maxHeldBytes?: number;
}

const DEFAULTS: Required<ResponseBodiesOptions> = { minBytes: 1024, maxHeldBytes: 16 * 1024 * 1024 };

export class ResponseBodies {
  private readonly kept = new Map<string, unknown>();
  private heldBytes = 0;
  private readonly options: Required<ResponseBodiesOptions>;
  /** How many parses were answered from what was kept (tests read it). */
  reused = 0;

  constructor(options: ResponseBodiesOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  parse(body: Buffer): ParsedBody {
    if (body.length === 0) return { jsonError: 'the body is empty' };
    if (body.length < this.options.minBytes) return parseOnce(body);
    const digest = createHash('sha256').update(body).digest('base64');
    if (this.kept.has(digest)) {
      this.reused++;
      return { json: this.kept.get(digest) };
    }
    const parsed = parseOnce(body);
    if ('json' in parsed && this.heldBytes + body.length <= this.options.maxHeldBytes) {
      this.kept.set(digest, parsed.json);
      this.heldBytes += body.length;
    }
    return parsed;
  }
}

function parseOnce(body: Buffer): ParsedBody {
  try {
    return { json: deepFreeze(JSON.parse(body.toString('utf8'))) };
  } catch (error) {
    // Scrubbed before cut, on a character: a reflected credential leaves no fragment.
    const first = JSON.stringify(firstBytes(body, 60));
    return { jsonError: `not JSON (${(error as Error).message}); first bytes ${first}` };
  }
}

/** Iterative: a body nested 100,000 deep (JSON.parse takes it) must not overflow the stack here. */
export function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (next === null || typeof next !== 'object' || Object.isFrozen(next)) continue;
    Object.freeze(next);
    if (Array.isArray(next)) {
      for (const item of next) if (item !== null && typeof item === 'object') pending.push(item);
    } else {
      for (const key in next) {
        const item = (next as Record<string, unknown>)[key];
        if (item !== null && typeof item === 'object') pending.push(item);
      }
    }
  }
  return value;
}
