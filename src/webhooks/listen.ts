/**
 * `listen`: receive live deliveries (from the sandbox through a tunnel, or from a mock), verify
 * their signatures, validate every event, de-duplicate by id, print a line per event, record a
 * cassette, and, for CI, end once every expected event type has arrived valid.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { request } from 'undici';
import { ListenTimeoutError, UsageError, WebhookCassetteError } from '../errors.js';
import { redactHeaders, secrets } from '../client/redact.js';
import { keyResolverFromJwks, type KeyResolver } from '../signing/index.js';
import { startReceiver, type Delivery, type ReceivedEvent } from './receiver.js';

export interface ListenOptions {
  port: number;
  host?: string;
  path?: string;
  keys?: KeyResolver;
  cassette?: string;
  /** Event types that must all arrive valid; then listening ends with exit code 0. */
  expect?: string[];
  timeoutMs?: number;
  rejectUnverified?: boolean;
  /** Seconds `created` may be ahead of the clock and `expires` behind it (default 30). */
  signatureToleranceSeconds?: number;
  print: (line: string) => void;
  /** Printed once the receiver listens (the URL to register with the provider). */
  onListening?: (url: string) => void;
  signal?: AbortSignal;
}

export interface ListenResult {
  exitCode: 0 | 1;
  deliveries: number;
  events: number;
  invalid: number;
  duplicates: number;
  typesSeen: string[];
}

export interface CassetteEntry {
  receivedAt: string;
  path: string;
  headers: Record<string, string>;
  signature?: { ok: boolean; step?: string; keyId?: string };
  malformed?: string;
  events: unknown[];
}

export async function loadJwks(source: { url?: string; file?: string }): Promise<KeyResolver> {
  if (source.file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(source.file, 'utf8'));
    } catch (error) {
      throw new UsageError(`--jwks-file ${source.file} cannot be read as JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray((parsed as { keys?: unknown }).keys))
      throw new UsageError(`--jwks-file ${source.file} is not a JWKS (an object with a "keys" array)`);
    return keyResolverFromJwks(parsed as never);
  }
  const res = await request(source.url as string).catch((error: Error) => {
    throw new UsageError(`--jwks-url ${source.url} cannot be fetched: ${error.message}`);
  });
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new UsageError(`--jwks-url ${source.url} answered ${res.statusCode}`, {
      hint:
        res.statusCode === 401
          ? 'Upvest serves its keys to authenticated clients: download them once into a file and use --jwks-file.'
          : undefined,
    });
  }
  return keyResolverFromJwks((await res.body.json()) as never);
}

function problemOf(received: ReceivedEvent): string | undefined {
  const { verdict } = received;
  if (verdict.unknownType) return `undocumented event type ${JSON.stringify(verdict.type)}`;
  const violation = verdict.validation?.violations[0];
  return violation
    ? `${violation.instancePath || '/'} ${violation.message}` +
        (verdict.validation!.violations.length > 1 ? ` (+${verdict.validation!.violations.length - 1} more)` : '')
    : undefined;
}

export async function listen(options: ListenOptions): Promise<ListenResult> {
  const expected = new Set(options.expect ?? []);
  const arrived = new Set<string>();
  const types = new Set<string>();
  let events = 0;
  let invalid = 0;
  let duplicates = 0;
  let finish: (code: 0 | 1) => void = () => undefined;
  const done = new Promise<0 | 1>((resolve) => (finish = resolve));

  const onDelivery = (delivery: Delivery) => {
    const time = delivery.receivedAt.replace(/\.\d+Z$/, 'Z');
    const signature = delivery.signature
      ? delivery.signature.ok
        ? `signature ok (draft-${delivery.signature.version.padStart(2, '0')})`
        : `SIGNATURE ${delivery.signature.step}: ${delivery.signature.message}`
      : 'signature not checked';
    if (options.cassette) {
      const entry: CassetteEntry = {
        receivedAt: delivery.receivedAt,
        path: delivery.path,
        headers: redactHeaders(delivery.headers),
        ...(delivery.signature
          ? {
              signature: {
                ok: delivery.signature.ok,
                ...(delivery.signature.ok ? { keyId: delivery.signature.keyId } : { step: delivery.signature.step }),
              },
            }
          : {}),
        ...(delivery.malformed ? { malformed: delivery.malformed } : {}),
        events: delivery.events.map((e) => e.event),
      };
      appendFileSync(options.cassette, `${secrets.scrub(JSON.stringify(entry))}\n`);
    }
    if (delivery.malformed || (delivery.signature && !delivery.signature.ok)) {
      invalid++;
      options.print(`${time}  ✗ delivery ${delivery.index + 1}: ${delivery.malformed ?? signature}`);
      if (expected.size > 0) finish(1);
    }
    for (const received of delivery.events) {
      events++;
      const type = String(received.verdict.type);
      types.add(type);
      const problem = problemOf(received);
      if (received.duplicate) duplicates++;
      const mark = problem ? '✗' : received.duplicate ? '↺' : '✓';
      options.print(
        `${time}  ${mark} ${type}  ${received.verdict.id ?? '(no id)'}  ` +
          `(delivery ${delivery.index + 1}, ${delivery.events.length} event${delivery.events.length > 1 ? 's' : ''}, ${signature})` +
          `${received.duplicate ? ' duplicate' : ''}${problem ? `: ${problem}` : ''}`,
      );
      if (problem) {
        invalid++;
        if (expected.size > 0) finish(1);
      } else if (expected.has(type) && (!delivery.signature || delivery.signature.ok)) {
        arrived.add(type);
      }
    }
    if (expected.size > 0 && [...expected].every((t) => arrived.has(t))) finish(0);
  };

  const receiver = await startReceiver({
    port: options.port,
    host: options.host,
    path: options.path ?? '/webhooks',
    keys: options.keys,
    rejectUnverified: options.rejectUnverified,
    signatureToleranceSeconds: options.signatureToleranceSeconds,
    onDelivery,
    maxDeliveries: 1000,
  });
  options.onListening?.(receiver.url);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    if (options.timeoutMs) timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
  });
  const stopped = new Promise<'stopped'>((resolve) => {
    if (!options.signal) return;
    if (options.signal.aborted) resolve('stopped');
    else options.signal.addEventListener('abort', () => resolve('stopped'), { once: true });
  });
  try {
    const outcome = await Promise.race([done, timedOut, stopped]);
    const result: ListenResult = {
      exitCode: invalid > 0 ? 1 : 0,
      deliveries: receiver.deliveries.length,
      events,
      invalid,
      duplicates,
      typesSeen: [...types].sort(),
    };
    if (outcome === 'timeout' && expected.size > 0) {
      const missing = [...expected].filter((t) => !arrived.has(t));
      throw new ListenTimeoutError(
        `After ${Math.round((options.timeoutMs ?? 0) / 1000)} s, still missing valid events of type: ${missing.join(', ')} ` +
          `(received ${events} event(s): ${result.typesSeen.join(', ') || 'none'})`,
        { details: { missing } },
      );
    }
    if (typeof outcome === 'number') result.exitCode = outcome;
    return result;
  } finally {
    if (timer) clearTimeout(timer);
    await receiver.close();
  }
}

/** Events recorded in a cassette, oldest delivery first. */
export function readCassette(file: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new WebhookCassetteError(`Cassette ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line, i) => {
      try {
        const entry = JSON.parse(line) as CassetteEntry;
        if (!Array.isArray(entry.events)) throw new Error('no events array');
        return entry.events;
      } catch (error) {
        throw new WebhookCassetteError(`Cassette ${file}, line ${i + 1}: ${(error as Error).message}`);
      }
    });
}
