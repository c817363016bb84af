/**
 * webhook-events: the events a provider delivers conform to the spec: each delivery is signed
 * with a published key, bundled or single as documented, ordered by created_at; each event is
 * of a documented type and valid against its schema. What is observed at the webhooks' enums
 * is recorded for enum coverage.
 */
import type { FindingRecorder } from '../engine/check-context.js';
import type { ManifestEnum } from '../spec/manifest-types.js';
import type { SpecView } from '../spec/spec-view.js';
import type { Delivery } from '../webhooks/receiver.js';
import { convention, documentedAt, schemaRuleBasis } from './basis.js';
import { EnumTally } from './enum-tally.js';
import type { CheckInfo } from './types.js';
import { genericPointer } from './util.js';

export const webhookEvents: CheckInfo = {
  name: 'webhook-events',
  title: 'Webhook events a provider delivers are signed, ordered and valid',
  severity: 'error',
  scope: 'provider-webhooks',
};

/** Judge every delivery received; records failures, figures and enum observations. */
export function judgeDeliveries(deliveries: readonly Delivery[], spec: SpecView, record: FindingRecorder): void {
  const webhookEnums = spec.manifest.enums.filter((e) => e.scope.kind === 'webhook');
  const tally = new EnumTally(webhookEnums, (e: ManifestEnum) => `webhook ${e.scope.kind === 'webhook' ? e.scope.webhook : ''}`);
  const types = new Set<string>();
  let events = 0;
  const webhookOf = (type: string | undefined) => spec.manifest.eventTypes.find((t) => t.type === type)?.webhook ?? '';
  const sourceOf = (type: string | undefined) => spec.manifest.webhooks.find((w) => w.name === webhookOf(type))?.source;
  for (const delivery of deliveries) {
    const at = { probe: `delivery:${delivery.index}`, request: { method: delivery.method, url: delivery.path, headers: delivery.headers } };
    if (delivery.signature && !delivery.signature.ok) {
      record.fail({
        key: `sig ${delivery.signature.step}`,
        message: `a delivery's signature does not verify (${delivery.signature.step})`,
        received: delivery.signature.message,
        expected: 'a signature made with a key of /auth/verify_keys',
        // Signed deliveries are Upvest's practice, documented outside this slice's pages.
        basis: convention("Upvest's webhook pages: deliveries are signed with a key of /auth/verify_keys"),
        at,
      });
    }
    if (delivery.malformed) {
      record.fail({
        key: 'malformed',
        message: `a delivery is malformed: ${delivery.malformed}`,
        received: `${delivery.bodyBytes} bytes`,
        expected: 'an event, or {"payload": [events]}',
        basis: documentedAt('#/webhooks', 'the webhook pages: the request body is an event (application/json)'),
        at,
      });
    }
    if (!delivery.ordered) {
      record.fail({
        key: 'order',
        message: 'events within a delivery are not ordered by created_at',
        received: delivery.events.map((e) => (e.event as { created_at?: string }).created_at).join(', '),
        expected: 'created_at ascending (oldest first)',
        basis: convention("Upvest's webhook pages: events in one delivery are ordered by created_at"),
        at,
      });
    }
    for (const received of delivery.events) {
      events++;
      const { verdict } = received;
      if (verdict.type) types.add(verdict.type);
      if (verdict.unknownType) {
        record.fail({
          key: `type ${verdict.type}`,
          message: `an event of an undocumented type ${JSON.stringify(verdict.type)}`,
          received: String(verdict.type),
          expected: `one of the ${spec.manifest.eventTypes.length} documented event types`,
          basis: documentedAt('#/webhooks'),
          at: { probe: at.probe },
        });
        continue;
      }
      for (const v of verdict.validation?.violations ?? []) {
        record.fail({
          key: `${verdict.type} ${genericPointer(v.instancePath)} ${v.keyword}`,
          message: `${verdict.type}: ${v.instancePath || '/'} ${v.message}`,
          received: JSON.stringify(v.value) ?? '(absent)',
          expected: v.keyword === 'enum' ? `one of ${(v.params.allowedValues as unknown[]).join(', ')}` : v.message,
          pointer: v.instancePath,
          basis: schemaRuleBasis(documentedAt(`#/webhooks/${webhookOf(verdict.type)}/post/requestBody`, sourceOf(verdict.type)), v),
          at: { probe: at.probe },
        });
      }
      for (const u of verdict.validation?.undocumented ?? []) {
        record.fail({
          key: `${verdict.type} undocumented ${u.instancePath}/${u.property}`,
          message: `${verdict.type}: undocumented property "${u.property}"`,
          received: `property "${u.property}"`,
          expected: 'only documented properties',
          pointer: `${u.instancePath}/${u.property}`,
          severity: 'warning',
          basis: documentedAt('#/info/x-undocumented-properties'),
          at: { probe: at.probe },
        });
      }
      const webhook = spec.manifest.eventTypes.find((t) => t.type === verdict.type)?.webhook;
      tally.observe(received.event, (e) => e.scope.kind === 'webhook' && e.scope.webhook === webhook);
    }
  }
  record.enums(tally.observations());
  record.stat('deliveries', deliveries.length);
  record.stat('events', events);
  record.stat('typesSeen', [...types].sort());
  record.stat(
    'typesMissing',
    spec.manifest.eventTypes.map((t) => t.type).filter((t) => !types.has(t)),
  );
}
