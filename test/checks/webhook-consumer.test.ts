/**
 * The webhook-consumer checks (judged by src/engine/webhook-consumer.ts over one replay), against
 * a scripted consumer: each case says how the consumer answers (a function of the delivery it
 * got), and wants each check's status and findings. The flawed consumers of the detection matrix
 * are test/webhooks/replay.test.ts's; this table covers each judgement both ways.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, test } from 'vitest';
import type { CheckOutcome, CheckStatus } from '../../src/checks/types.js';
import { replayToConsumer, type ReplayEvent } from '../../src/engine/webhook-consumer.js';
import { generateSigningKey, keyResolverFromJwks, publicJwk, verifyRequest } from '../../src/signing/index.js';
import { buildCorpus } from '../../src/webhooks/corpus.js';
import { validateEvent } from '../../src/webhooks/events.js';
import { expectFindings, type WantFinding } from './fixtures.js';

const KEY = generateSigningKey('ecdsa-p256-sha256', 'consumer-table');
const KEYS = keyResolverFromJwks({ keys: [publicJwk(KEY)] });
const CORPUS = buildCorpus(1);
/** Two events, one with decimals (valuation) and one with date-times (order), delivered in one bundle. */
const EVENTS = ['ACCOUNT_VALUATION.CREATED', 'REBALANCING_EXECUTION_ORDER.NEW'].map(
  (type) => CORPUS.find((c) => c.type === type)!.event as ReplayEvent,
);

/** What the scripted consumer knows of a delivery when it answers. */
interface Received {
  raw: string;
  events: Record<string, unknown>[];
  verified: boolean;
  /** Some event id was seen in an earlier delivery. */
  redelivery: boolean;
}
type Policy = (d: Received) => number;

/** A correct consumer: refuses what does not verify and what breaks its schema, ignores unknown types, acknowledges the rest. */
const correct: Policy = (d) => {
  if (!d.verified) return 401;
  const verdicts = d.events.map(validateEvent);
  return verdicts.some((v) => !v.unknownType && !v.validation?.valid) ? 400 : 200;
};

async function consumer(policy: Policy): Promise<{ url: string; close: () => Promise<void> }> {
  const seen = new Set<string>();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const verified = verifyRequest({ method: 'POST', url: req.url ?? '/', headers, body }, KEYS).ok;
    const parsed = JSON.parse(body.toString('utf8')) as { payload?: Record<string, unknown>[] };
    const events = parsed.payload ?? [parsed as Record<string, unknown>];
    const ids = events.map((e) => String(e.id));
    const redelivery = ids.some((id) => seen.has(id));
    const status = policy({ raw: body.toString('utf8'), events, verified, redelivery });
    if (status === 200 && verified) for (const id of ids) seen.add(id);
    res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const CHECKS = [
  'consumer-acknowledges',
  'consumer-idempotent',
  'consumer-verifies-signatures',
  'consumer-malformed-event',
  'consumer-unknown-type',
  'consumer-parses-spellings',
] as const;
type CheckName = (typeof CHECKS)[number];

interface Case {
  name: string;
  policy: Policy;
  signed?: boolean;
  expectSignatureVerification?: boolean;
  /** The checks whose outcome is not `passed` without findings, and what they found. */
  want: Partial<Record<CheckName, { status: CheckStatus; findings: WantFinding[]; skipped?: string }>>;
}

const WEBHOOKS_200 = '#/webhooks';
const cases: Case[] = [
  { name: 'a correct consumer passes every check', policy: correct, want: {} },
  {
    name: 'a valid delivery refused fails acknowledgement (documented 200), and its redelivery fails idempotency',
    policy: (d) => (d.events.some((e) => e.id === EVENTS[0].id) ? 400 : correct(d)),
    want: {
      'consumer-acknowledges': {
        status: 'failed',
        findings: [
          { severity: 'error', basis: 'documented', message: 'a valid delivery was answered 400', expected: '200', at: WEBHOOKS_200 },
        ],
      },
      'consumer-idempotent': {
        status: 'failed',
        findings: [{ severity: 'error', basis: 'documented', message: 'a redelivered event was answered 400', at: WEBHOOKS_200 }],
      },
    },
  },
  {
    name: 'a redelivery refused fails idempotency only',
    policy: (d) => (d.redelivery ? 409 : correct(d)),
    want: {
      'consumer-idempotent': {
        status: 'failed',
        findings: [{ severity: 'error', basis: 'documented', message: 'a redelivered event was answered 409', received: '409' }],
      },
    },
  },
  {
    name: 'signatures not verified, where verification is expected: each case an error',
    policy: (d) => correct({ ...d, verified: true }),
    want: {
      'consumer-verifies-signatures': {
        status: 'failed',
        findings: [
          { severity: 'error', basis: 'convention', message: 'a delivery without a signature was accepted' },
          { severity: 'error', basis: 'convention', message: 'a delivery with a forged signature was accepted' },
          { severity: 'error', basis: 'convention', message: 'a delivery signed an hour ago (expired) was accepted' },
        ],
      },
    },
  },
  {
    name: 'signatures not verified, where verification is not expected: warnings',
    policy: (d) => correct({ ...d, verified: true }),
    expectSignatureVerification: false,
    want: {
      'consumer-verifies-signatures': {
        status: 'passed',
        findings: [
          { severity: 'warning', basis: 'convention', message: 'without a signature was accepted' },
          { severity: 'warning', basis: 'convention', message: 'forged signature was accepted' },
          { severity: 'warning', basis: 'convention', message: 'expired) was accepted' },
        ],
      },
    },
  },
  {
    name: 'unsigned deliveries: the signature check is skipped, not passed',
    policy: (d) => correct({ ...d, verified: true }),
    signed: false,
    want: { 'consumer-verifies-signatures': { status: 'skipped', findings: [], skipped: 'deliveries are not signed (--no-sign)' } },
  },
  {
    name: 'a schema-breaking event acknowledged silently warns',
    policy: (d) => (d.verified ? 200 : 401),
    want: {
      'consumer-malformed-event': {
        status: 'passed',
        findings: [
          { severity: 'warning', basis: 'convention', message: 'an event that breaks its schema was acknowledged without complaint' },
        ],
      },
    },
  },
  {
    name: 'an unknown event type refused warns (it would block the stream)',
    policy: (d) => (d.events.some((e) => validateEvent(e).unknownType) ? 422 : correct(d)),
    want: {
      'consumer-unknown-type': {
        status: 'passed',
        findings: [{ severity: 'warning', basis: 'convention', message: 'an unknown event type was answered 422', received: '422' }],
      },
    },
  },
  {
    name: 'a legal date-time spelling (+00:00) refused fails on the documented DateTime',
    policy: (d) => (d.raw.includes('+00:00') ? 400 : correct(d)),
    want: {
      'consumer-parses-spellings': {
        status: 'failed',
        findings: [
          {
            severity: 'error',
            basis: 'documented',
            message: 'spelled as date-time with the offset +00:00',
            at: '#/components/schemas/DateTime',
          },
        ],
      },
    },
  },
  {
    name: 'lower-case t and z refused warns (RFC 3339 allows them, ISO 8601 does not)',
    policy: (d) => (/\d{2}t\d{2}:/.test(d.raw) ? 400 : correct(d)),
    want: {
      'consumer-parses-spellings': {
        status: 'passed',
        findings: [{ severity: 'warning', basis: 'convention', message: 'lower-case t and z' }],
      },
    },
  },
];

describe('webhook-consumer checks', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
  });

  test.for(cases)('$name', async ({ policy, signed, expectSignatureVerification, want }) => {
    const target = await consumer(policy);
    closers.push(target.close);
    const outcomes = await replayToConsumer({
      to: target.url,
      events: EVENTS,
      mode: 'bundled',
      ...(signed === false ? {} : { signingKey: KEY, signatureVersion: '15' as const }),
      expectSignatureVerification: expectSignatureVerification ?? true,
      timeoutMs: 5_000,
    });
    expect(outcomes.map((o) => o.check)).toEqual(CHECKS);
    for (const check of CHECKS) {
      const outcome = outcomes.find((o) => o.check === check) as CheckOutcome;
      const wanted = want[check] ?? { status: 'passed' as const, findings: [] };
      expect(outcome.status, check).toBe(wanted.status);
      expectFindings(outcome, wanted.findings);
      expect(outcome.skipReason, check).toBe(wanted.skipped);
      expect(outcome.errors, check).toEqual([]);
    }
  });
});
