/**
 * Replay against a webhook consumer: deliver the corpus (or chosen events) the way Upvest
 * does, and judge how the consumer answers. Upvest retries a delivery until it gets HTTP 200
 * and blocks every later one meanwhile, so a consumer that refuses a valid or a duplicate
 * delivery, or an event type it does not know yet, stops its own event stream.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { curlFor } from '../checks/failure.js';
import type { CheckOutcome, Failure } from '../checks/types.js';
import { redactHeaders, secrets } from '../client/redact.js';
import { publicJwk, type SignatureVersion, type SigningKey } from '../signing/index.js';
import { deliveryBodies, sendDelivery, type DeliveryMode, type DeliveryResult, type SignatureMode } from './delivery.js';

export const CONSUMER_CHECKS = {
  acknowledges: { name: 'consumer-acknowledges', title: 'Valid deliveries are acknowledged with 200' },
  idempotent: { name: 'consumer-idempotent', title: 'A redelivered event is acknowledged again (idempotent consumer)' },
  signatures: { name: 'consumer-verifies-signatures', title: 'Deliveries with a missing, forged or expired signature are refused' },
  malformed: { name: 'consumer-malformed-event', title: 'How the consumer treats an event that breaks its schema' },
  unknownType: { name: 'consumer-unknown-type', title: 'An unknown, future event type does not block the event stream' },
} as const;

export interface ReplayEvent {
  id: string;
  created_at: string;
  type: string;
  [key: string]: unknown;
}

export interface ReplayOptions {
  to: string;
  events: ReplayEvent[];
  mode: DeliveryMode;
  maxBatch?: number;
  signingKey?: SigningKey;
  /** Default '6': Upvest signs its webhooks with draft-06 only. */
  signatureVersion?: SignatureVersion;
  expectSignatureVerification: boolean;
  timeoutMs: number;
}

export function consumerOperation(url: string): string {
  return `consumer ${url}`;
}

interface Sent {
  purpose: string;
  body: string;
  signature: SignatureMode;
  result: DeliveryResult;
}

function outcomeOf(
  check: { name: string; title: string },
  operation: string,
  failures: Failure[],
  warnings: Failure[],
  errors: CheckOutcome['errors'],
  probes: number,
  stats: Record<string, unknown>,
  skipReason?: string,
): CheckOutcome {
  const status = failures.length > 0 ? 'failed' : errors.length > 0 ? 'error' : skipReason ? 'skipped' : 'passed';
  return {
    check: check.name,
    title: check.title,
    operation,
    operationId: 'webhookConsumer',
    status,
    failures,
    warnings,
    errors,
    probes,
    stats,
    durationMs: 0,
    ...(skipReason && status === 'skipped' ? { skipReason } : {}),
  };
}

/** A schema-breaking copy of an event: a required field of its object dropped. */
function malformed(event: ReplayEvent): ReplayEvent {
  const object = { ...(event.object as Record<string, unknown>) };
  delete object.id;
  return { ...event, id: `${event.id.slice(0, -4)}bad0`, object };
}

/** The same shape under a type Upvest may add one day. */
function futureType(event: ReplayEvent): ReplayEvent {
  return { ...event, id: `${event.id.slice(0, -4)}f0f0`, type: `${event.type.split('.')[0]}.ARCHIVED_IN_A_FUTURE_VERSION` };
}

export async function replayToConsumer(options: ReplayOptions): Promise<CheckOutcome[]> {
  const operation = consumerOperation(options.to);
  const sent: Sent[] = [];
  const send = async (purpose: string, body: string, signature: SignatureMode = options.signingKey ? 'valid' : 'none'): Promise<Sent> => {
    const result = await sendDelivery(options.to, body, {
      signingKey: options.signingKey,
      signatureVersion: options.signatureVersion,
      signature,
      timeoutMs: options.timeoutMs,
    });
    const entry = { purpose, body, signature, result };
    sent.push(entry);
    return entry;
  };
  const failure = (
    check: { name: string; title: string },
    s: Sent,
    message: string,
    expected: string,
    severity: Failure['severity'] = 'error',
  ): Failure => {
    const request = {
      method: 'POST',
      url: options.to,
      headers: redactHeaders({ 'content-type': 'application/json' }),
      bodyExcerpt: s.body.slice(0, 4096),
    };
    return {
      check: check.name,
      operation,
      title: check.title,
      message,
      severity,
      received: secrets.scrub(
        s.result.status !== undefined
          ? `${s.result.status}${s.result.responseExcerpt ? ` ${JSON.stringify(s.result.responseExcerpt.slice(0, 120))}` : ''}`
          : `no answer (${s.result.error})`,
      ),
      expected,
      probe: s.purpose,
      request,
      curl: curlFor(request),
    };
  };
  const errorsOf = (list: Sent[]) =>
    list
      .filter((s) => s.result.error)
      .map((s) => ({ probe: s.purpose, code: 'CT_ERR_CONSUMER_UNREACHABLE', message: `${s.purpose}: ${s.result.error}` }));

  // 1. Valid deliveries, oldest first, as Upvest sends them.
  const deliveries = deliveryBodies(options.events, options.mode, options.maxBatch ?? 10);
  const valid: Sent[] = [];
  for (const [i, d] of deliveries.entries())
    valid.push(await send(`delivery ${i + 1}/${deliveries.length} (${d.events.map((e) => e.type).join(', ')})`, d.body));
  const refused = valid.filter((s) => s.result.status !== undefined && s.result.status !== 200);
  const acknowledges = outcomeOf(
    CONSUMER_CHECKS.acknowledges,
    operation,
    refused.map((s) =>
      failure(
        CONSUMER_CHECKS.acknowledges,
        s,
        `a valid delivery was answered ${s.result.status} (${s.purpose}); Upvest would retry it and hold back every later event`,
        '200',
      ),
    ),
    [],
    errorsOf(valid),
    valid.length,
    { deliveries: valid.length, events: options.events.length, acknowledged: valid.filter((s) => s.result.status === 200).length },
  );

  // 2. The first delivery again: Upvest may deliver an event more than once.
  const outcomes = [acknowledges];
  if (deliveries.length > 0) {
    const again = await send('the first delivery again (same event ids)', deliveries[0].body);
    outcomes.push(
      outcomeOf(
        CONSUMER_CHECKS.idempotent,
        operation,
        again.result.status !== undefined && again.result.status !== 200
          ? [
              failure(
                CONSUMER_CHECKS.idempotent,
                again,
                `a redelivered event was answered ${again.result.status}`,
                '200: duplicates are expected, handle them idempotently by event id',
              ),
            ]
          : [],
        [],
        errorsOf([again]),
        1,
        {},
      ),
    );
  }

  // 3. Signatures: missing, forged, expired.
  const probe = deliveries[0]?.body;
  if (options.signingKey && probe) {
    const cases: Sent[] = [];
    for (const [mode, purpose] of [
      ['none', 'a delivery without a signature'],
      ['forged', 'a delivery with a forged signature'],
      ['expired', 'a delivery signed an hour ago (expired)'],
    ] as const)
      cases.push(await send(purpose, probe, mode));
    const accepted = cases.filter((s) => s.result.status !== undefined && s.result.status >= 200 && s.result.status < 300);
    const findings = accepted.map((s) =>
      failure(
        CONSUMER_CHECKS.signatures,
        s,
        `${s.purpose} was accepted`,
        'a 4xx: verify the signature with the keys of /auth/verify_keys',
        options.expectSignatureVerification ? 'error' : 'warning',
      ),
    );
    outcomes.push(
      outcomeOf(
        CONSUMER_CHECKS.signatures,
        operation,
        findings.filter((f) => f.severity === 'error'),
        findings.filter((f) => f.severity === 'warning'),
        errorsOf(cases),
        cases.length,
        { observed: Object.fromEntries(cases.map((s) => [s.signature, s.result.status ?? s.result.error])) },
      ),
    );
  } else {
    outcomes.push(outcomeOf(CONSUMER_CHECKS.signatures, operation, [], [], [], 0, {}, 'deliveries are not signed (--no-sign)'));
  }

  // 4 and 5. A malformed event and an unknown type: findings with the status observed.
  const first = options.events[0];
  if (first) {
    const bad = await send(
      'an event whose object lacks its required id',
      JSON.stringify(options.mode === 'single' ? malformed(first) : { payload: [malformed(first)] }),
    );
    outcomes.push(
      outcomeOf(
        CONSUMER_CHECKS.malformed,
        operation,
        [],
        bad.result.status === 200
          ? [
              failure(
                CONSUMER_CHECKS.malformed,
                bad,
                'an event that breaks its schema was acknowledged without complaint',
                'acknowledge and set aside for inspection, or refuse it; either way, log it',
                'warning',
              ),
            ]
          : [],
        errorsOf([bad]),
        1,
        { observedStatus: bad.result.status },
      ),
    );
    const future = await send(
      'an event of a type Upvest does not send yet',
      JSON.stringify(options.mode === 'single' ? futureType(first) : { payload: [futureType(first)] }),
    );
    outcomes.push(
      outcomeOf(
        CONSUMER_CHECKS.unknownType,
        operation,
        [],
        future.result.status !== undefined && future.result.status !== 200
          ? [
              failure(
                CONSUMER_CHECKS.unknownType,
                future,
                `an unknown event type was answered ${future.result.status}: ` +
                  'once Upvest adds a type, this consumer blocks its whole stream',
                '200: ignore (and log) types you do not handle',
                'warning',
              ),
            ]
          : [],
        errorsOf([future]),
        1,
        { observedStatus: future.result.status },
      ),
    );
  }
  return outcomes;
}

/** Serve public keys the way Upvest serves /auth/verify_keys (a JWKS), for the consumer under test. */
export async function serveJwks(keys: SigningKey[], port = 0, host = '127.0.0.1'): Promise<{ url: string; close(): Promise<void> }> {
  const body = JSON.stringify({ keys: keys.map((k) => publicJwk(k)) });
  const server: Server = createServer((req, res) => {
    if (req.url?.split('?')[0] === '/auth/verify_keys') res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}/auth/verify_keys`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
