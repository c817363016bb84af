/**
 * `listen`: receive live deliveries (from the sandbox through a tunnel, or from a mock), verify
 * their signatures, validate every event, de-duplicate by id, print a line per event, record a
 * cassette, and, for CI, end once every expected event type has arrived valid.
 */
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { fileUnwritable } from '../local-paths.js';
import { request } from 'undici';
import { JwksError, ListenTimeoutError, UsageError, WebhookCassetteError } from '../errors.js';
import { shapeProblem, validateCassetteEntryShape, validateJwksShape } from '../input-shapes.js';
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

/** Most bytes and time a JWKS fetch may take: a key set is a few KiB. */
const JWKS_MAX_BYTES = 1024 * 1024;
const JWKS_TIMEOUT_MS = 10_000;

function keysOf(parsed: unknown, where: string): KeyResolver {
  const problem = shapeProblem(validateJwksShape, parsed);
  if (problem) throw new JwksError(`${where} is not a JWKS ({"keys": [JWK, …]}): ${problem}`);
  try {
    return keyResolverFromJwks(parsed as never);
  } catch (error) {
    throw new JwksError(`${where}: a key cannot be used: ${(error as Error).message}`);
  }
}

export async function loadJwks(source: { url?: string; file?: string }): Promise<KeyResolver> {
  if (source.file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(source.file, 'utf8'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new JwksError(`--jwks-file ${source.file} cannot be read as JSON: ${code ?? (error as Error).message}`);
    }
    return keysOf(parsed, `--jwks-file ${source.file}`);
  }
  const where = `--jwks-url ${secrets.scrub(source.url as string)}`;
  // Bounded like every read from the network: a server that never answers or sends forever ends with an error.
  const signal = AbortSignal.timeout(JWKS_TIMEOUT_MS);
  let text: string;
  try {
    const res = await request(source.url as string, { signal, headersTimeout: JWKS_TIMEOUT_MS, bodyTimeout: JWKS_TIMEOUT_MS });
    if (res.statusCode !== 200) {
      res.body.destroy();
      throw new JwksError(`${where} answered ${res.statusCode}`, {
        hint:
          res.statusCode === 401
            ? 'Upvest serves its keys to authenticated clients: download them once into a file and use --jwks-file.'
            : undefined,
      });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > JWKS_MAX_BYTES) {
        res.body.destroy();
        throw new JwksError(`${where} sent more than ${JWKS_MAX_BYTES} bytes; a key set is a few KiB`);
      }
      chunks.push(chunk as Buffer);
    }
    text = Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    if (error instanceof JwksError) throw error;
    const timedOut = signal.aborted || /timeout/i.test((error as NodeJS.ErrnoException).code ?? '');
    throw new JwksError(
      timedOut
        ? `${where} did not answer within ${JWKS_TIMEOUT_MS / 1000} s`
        : `${where} cannot be fetched: ${secrets.scrub((error as Error).message)}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new JwksError(`${where} answered a body that is not JSON`);
  }
  return keysOf(parsed, where);
}

/**
 * Listen's options that can be judged before the port opens: a cassette that cannot be written,
 * --reject-unverified with nothing to verify against.
 */
export function assertListenOptions(options: { cassette?: string; rejectUnverified?: boolean; keys: boolean }): void {
  if (options.rejectUnverified && !options.keys)
    throw new UsageError('--reject-unverified needs keys to verify with: give --jwks-url or --jwks-file');
  if (!options.cassette) return;
  const problem = fileUnwritable(options.cassette);
  if (problem?.why === 'is-a-folder')
    throw new UsageError(`--cassette ${options.cassette} is a folder; give the path of a file to append to`);
  if (problem?.why === 'no-folder')
    throw new UsageError(`--cassette ${options.cassette}: ${problem.message}`, { hint: 'Create it first.' });
  if (problem) throw new UsageError(`--cassette ${options.cassette} cannot be written (${problem.message})`);
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
      try {
        appendFileSync(options.cassette, `${secrets.scrub(JSON.stringify(entry))}\n`);
      } catch (error) {
        // The delivery was answered; listening goes on, and the line says what the cassette lacks.
        options.print(
          `${time}  ! delivery ${delivery.index + 1} not written to the cassette ${options.cassette}: ` +
            `${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
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
    onProblem: (message) => options.print(`${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}  ! ${message}`),
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
  let bytes: Buffer;
  try {
    if (statSync(file).isDirectory()) throw new WebhookCassetteError(`Cassette ${file} is a folder, not an NDJSON file`);
    bytes = readFileSync(file);
  } catch (error) {
    if (error instanceof WebhookCassetteError) throw error;
    throw new WebhookCassetteError(`Cassette ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (bytes.includes(0)) throw new WebhookCassetteError(`Cassette ${file} is binary (it holds NUL bytes), not NDJSON text`);
  const lines = bytes
    .toString('utf8')
    .split('\n')
    .map((line, i) => ({ line, number: i + 1 }))
    .filter(({ line }) => line.trim() !== '');
  const events = lines.flatMap(({ line, number }) => {
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      throw new WebhookCassetteError(`Cassette ${file}, line ${number}: not JSON (a truncated or foreign line)`);
    }
    const problem = shapeProblem(validateCassetteEntryShape, entry);
    if (problem) throw new WebhookCassetteError(`Cassette ${file}, line ${number}: not a cassette entry: ${problem}`);
    return (entry as CassetteEntry).events;
  });
  if (events.length === 0) throw new WebhookCassetteError(`Cassette ${file} holds no events: nothing to replay`);
  return events;
}
