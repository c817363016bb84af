/**
 * The checks of a webhook consumer (`upvest-conformance replay`): how the consumer a team
 * builds answers the deliveries Upvest makes. Upvest retries a delivery until it gets HTTP 200
 * and holds back every later one meanwhile, so a consumer that refuses a valid or a duplicate
 * delivery, or a type it does not know yet, stops its own event stream. Judged together over
 * one replay (src/webhooks/replay.ts).
 */
import type { CheckInfo } from './types.js';

const consumer = (name: string, title: string, severity: CheckInfo['severity'] = 'error'): CheckInfo => ({
  name,
  title,
  severity,
  scope: 'webhook-consumer',
});

export const CONSUMER_CHECKS = {
  acknowledges: consumer('consumer-acknowledges', 'Valid deliveries are acknowledged with 200'),
  idempotent: consumer('consumer-idempotent', 'A redelivered event is acknowledged again (idempotent consumer)'),
  signatures: consumer('consumer-verifies-signatures', 'Deliveries with a missing, forged or expired signature are refused'),
  malformed: consumer('consumer-malformed-event', 'How the consumer treats an event that breaks its schema', 'warning'),
  unknownType: consumer('consumer-unknown-type', 'An unknown, future event type does not block the event stream', 'warning'),
  spellings: consumer('consumer-parses-spellings', 'Events are acknowledged in every legal spelling of their date-times and decimals'),
} as const satisfies Record<string, CheckInfo>;
