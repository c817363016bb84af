/**
 * Replay against a webhook consumer: deliver the corpus (or chosen events) the way Upvest
 * does, and judge how the consumer answers. Upvest retries a delivery until it gets HTTP 200
 * and blocks every later one meanwhile, so a consumer that refuses a valid or a duplicate
 * delivery, or an event type it does not know yet, stops its own event stream.
 */
import type { CheckInfo, CheckOutcome } from '../checks/types.js';
import { convention, documentedAt } from '../checks/basis.js';
import { CONSUMER_CHECKS } from '../checks/webhook-consumer.js';
import { redactHeaders, scrubThenCut } from '../client/redact.js';
import type { SignatureVersion, SigningKey } from '../signing/index.js';
import { SPEC, type SpecView } from '../spec/spec-view.js';
import { respelledDeliveries, type RespelledDelivery } from '../webhooks/respell.js';
import { deliveryBodies, sendDelivery, type DeliveryMode, type DeliveryResult, type SignatureMode } from '../webhooks/delivery.js';
import { createRecorder, type FindingRecorder } from './check-context.js';
import { EventBus, type RunEventHandler } from './events.js';
import { buildRunResult, type RunResult } from './result.js';

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
  /** Told of every delivery as it goes out (progress counts them). */
  emit?: RunEventHandler;
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

/** Deliver the events and judge the consumer: one outcome per consumer check. */
export async function replayToConsumer(options: ReplayOptions): Promise<CheckOutcome[]> {
  const group = { key: consumerOperation(options.to), operationId: 'webhookConsumer' };
  const record = (check: CheckInfo) => createRecorder({ check, group });
  const send = async (purpose: string, body: string, signature: SignatureMode = options.signingKey ? 'valid' : 'none'): Promise<Sent> => {
    options.emit?.({ type: 'request-sent', method: 'POST', url: options.to });
    const result = await sendDelivery(options.to, body, {
      signingKey: options.signingKey,
      signatureVersion: options.signatureVersion,
      signature,
      timeoutMs: options.timeoutMs,
    });
    return { purpose, body, signature, result };
  };
  /** Where a finding was seen: the delivery as sent (redacted) and the consumer's answer. */
  const at = (s: Sent) => ({
    probe: s.purpose,
    request: {
      method: 'POST',
      url: options.to,
      headers: redactHeaders({ 'content-type': 'application/json' }),
      bodyExcerpt: scrubThenCut(s.body, 4096),
    },
  });
  const received = (s: Sent) =>
    s.result.status !== undefined
      ? `${s.result.status}${s.result.responseExcerpt ? ` ${JSON.stringify(scrubThenCut(s.result.responseExcerpt, 120))}` : ''}`
      : `no answer (${s.result.error})`;
  /** Each delivery the check depended on: counted, and its transport error recorded. */
  const sentBy = (r: FindingRecorder, list: Sent[]) => {
    for (const s of list) {
      r.countProbe();
      if (s.result.error) r.error({ probe: s.purpose, code: 'CT_ERR_CONSUMER_UNREACHABLE', message: `${s.purpose}: ${s.result.error}` });
    }
  };
  const outcomes: CheckOutcome[] = [];

  // 1. Valid deliveries, oldest first, as Upvest sends them.
  const deliveries = deliveryBodies(options.events, options.mode, options.maxBatch ?? 10);
  const acknowledges = record(CONSUMER_CHECKS.acknowledges);
  const valid: Sent[] = [];
  for (const [i, d] of deliveries.entries()) {
    valid.push(await send(`delivery ${i + 1}/${deliveries.length} (${d.events.map((e) => e.type).join(', ')})`, d.body));
  }
  sentBy(acknowledges, valid);
  for (const s of valid.filter((v) => v.result.status !== undefined && v.result.status !== 200)) {
    acknowledges.fail({
      message: `a valid delivery was answered ${s.result.status} (${s.purpose}); Upvest would retry it and hold back every later event`,
      received: received(s),
      expected: '200',
      basis: documentedAt('#/webhooks', 'the webhook pages: "Response 200: Request has been processed successfully"'),
      at: at(s),
    });
  }
  acknowledges.stat('deliveries', valid.length);
  acknowledges.stat('events', options.events.length);
  acknowledges.stat('acknowledged', valid.filter((s) => s.result.status === 200).length);
  outcomes.push(acknowledges.outcome());

  // 2. The first delivery again: Upvest may deliver an event more than once.
  if (deliveries.length > 0) {
    const idempotent = record(CONSUMER_CHECKS.idempotent);
    const again = await send('the first delivery again (same event ids)', deliveries[0].body);
    sentBy(idempotent, [again]);
    if (again.result.status !== undefined && again.result.status !== 200) {
      idempotent.fail({
        message: `a redelivered event was answered ${again.result.status}`,
        received: received(again),
        expected: '200: duplicates are expected, handle them idempotently by event id',
        // A redelivery is a delivery: the documented 200 applies to it as to the first (Upvest redelivers).
        basis: documentedAt('#/webhooks', 'the webhook pages: "Response 200: Request has been processed successfully"'),
        at: at(again),
      });
    }
    outcomes.push(idempotent.outcome());
  }

  // 3. Signatures: missing, forged, expired.
  const signatures = record(CONSUMER_CHECKS.signatures);
  const probe = deliveries[0]?.body;
  if (options.signingKey && probe) {
    const cases: Sent[] = [];
    for (const [mode, purpose] of [
      ['none', 'a delivery without a signature'],
      ['forged', 'a delivery with a forged signature'],
      ['expired', 'a delivery signed an hour ago (expired)'],
    ] as const) {
      cases.push(await send(purpose, probe, mode));
    }
    sentBy(signatures, cases);
    for (const s of cases.filter((c) => c.result.status !== undefined && c.result.status >= 200 && c.result.status < 300)) {
      signatures.fail({
        message: `${s.purpose} was accepted`,
        received: received(s),
        expected: 'a 4xx: verify the signature with the keys of /auth/verify_keys',
        severity: options.expectSignatureVerification ? 'error' : 'warning',
        basis: convention("Upvest's webhook pages: verify each delivery's signature with /auth/verify_keys"),
        at: at(s),
      });
    }
    signatures.stat('observed', Object.fromEntries(cases.map((s) => [s.signature, s.result.status ?? s.result.error ?? null])));
  } else {
    signatures.skip('deliveries are not signed (--no-sign)');
  }
  outcomes.push(signatures.outcome());

  // 4 and 5. A malformed event and an unknown type: findings with the status observed.
  const first = options.events[0];
  if (first) {
    const bundle = (event: ReplayEvent) => JSON.stringify(options.mode === 'single' ? event : { payload: [event] });
    const malformedCheck = record(CONSUMER_CHECKS.malformed);
    const bad = await send('an event whose object lacks its required id', bundle(malformed(first)));
    sentBy(malformedCheck, [bad]);
    if (bad.result.status === 200) {
      malformedCheck.fail({
        message: 'an event that breaks its schema was acknowledged without complaint',
        received: received(bad),
        expected: 'acknowledge and set aside for inspection, or refuse it; either way, log it',
        severity: 'warning',
        basis: convention('a consumer notices an event that breaks its schema'),
        at: at(bad),
      });
    }
    malformedCheck.stat('observedStatus', bad.result.status ?? null);
    outcomes.push(malformedCheck.outcome());

    const unknownType = record(CONSUMER_CHECKS.unknownType);
    const future = await send('an event of a type Upvest does not send yet', bundle(futureType(first)));
    sentBy(unknownType, [future]);
    if (future.result.status !== undefined && future.result.status !== 200) {
      unknownType.fail({
        message: `an unknown event type was answered ${future.result.status}: once Upvest adds a type, this consumer blocks its stream`,
        received: received(future),
        expected: '200: ignore (and log) types you do not handle',
        severity: 'warning',
        basis: convention('Upvest adds event types over versions; only 200 lets the stream go on'),
        at: at(future),
      });
    }
    unknownType.stat('observedStatus', future.result.status ?? null);
    outcomes.push(unknownType.outcome());
  }

  // 6. The same events in every legal spelling of their formats, under new ids.
  const spellings = record(CONSUMER_CHECKS.spellings);
  const respelled = respelledDeliveries(options.events);
  const spelled: { delivery: RespelledDelivery; sent: Sent[] }[] = [];
  for (const delivery of respelled) {
    const bodies = deliveryBodies(delivery.events as ReplayEvent[], options.mode, options.maxBatch ?? 10);
    const sent: Sent[] = [];
    for (const [i, d] of bodies.entries()) {
      sent.push(await send(`${delivery.spelling.title}: delivery ${i + 1}/${bodies.length}`, d.body));
    }
    sentBy(spellings, sent);
    spelled.push({ delivery, sent });
    const refused = sent.filter((s) => s.result.status !== undefined && s.result.status !== 200);
    if (refused.length === 0) continue;
    const documentedSpelling = delivery.spelling.basis === 'documented';
    spellings.fail({
      key: delivery.spelling.name,
      message: `events with every ${delivery.format} spelled as ${delivery.spelling.title} were answered ${refused[0].result.status}`,
      received: received(refused[0]),
      expected: `200: the spelling is legal (${delivery.format === 'date-time' ? 'RFC 3339 §5.6 in UTC' : 'the decimal pattern'})`,
      severity: documentedSpelling ? 'error' : 'warning',
      basis: documentedSpelling
        ? delivery.format === 'date-time'
          ? documentedAt('#/components/schemas/DateTime', 'the pages: "RFC 3339-5, ISO8601 UTC"')
          : documentedAt('#/components/schemas/Decimal/pattern', 'the valuation pages: ^-?[0-9]{0,63}(\\.[0-9]{1,27})?$')
        : convention('RFC 3339 §5.6 allows lower-case t and z; ISO 8601, which the pages also name, does not'),
      at: at(refused[0]),
    });
  }
  if (respelled.length === 0) spellings.skip('no replayed event holds a date-time or a decimal');
  spellings.stat(
    'spellings',
    Object.fromEntries(
      spelled.map(({ delivery, sent }) => [delivery.spelling.name, sent.map((s) => String(s.result.status ?? 'no answer'))]),
    ),
  );
  outcomes.push(spellings.outcome());
  return outcomes;
}

/** A replay as a run: events while it goes, one RunResult with the consumer's outcomes. */
export async function replayConformance(
  options: ReplayOptions & { handlers?: RunEventHandler[]; spec?: SpecView; signing: boolean; failOn?: 'error' | 'warning' },
): Promise<RunResult> {
  const bus = new EventBus(options.handlers);
  const startedAt = new Date();
  const group = consumerOperation(options.to);
  const checks = Object.values(CONSUMER_CHECKS).map((c) => c.name);
  bus.emit({
    type: 'run-started',
    startedAt: startedAt.toISOString(),
    baseUrl: options.to,
    groups: [{ name: group, operationId: 'webhookConsumer', checks }],
    planDigest: '',
  });
  const outcomes = await replayToConsumer({ ...options, emit: (event) => bus.emit(event) });
  for (const outcome of outcomes) bus.emit({ type: 'check-finished', outcome });
  const result = buildRunResult(
    options.spec ?? SPEC,
    [],
    {
      baseUrl: options.to,
      embeddedMock: false,
      signing: options.signing,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      minEnumCoverage: 0,
      failOn: options.failOn ?? 'error',
      harnessErrors: bus.errors,
    },
    { outcomes },
  );
  bus.emit({ type: 'run-finished', result });
  return result;
}
