/**
 * A fake UpvestClient for the engine's unit tests: `send` answers each request through a
 * function (a canned response, an error to throw, or a promise the test settles), and records
 * the order requests were sent in. No network, no timers.
 */
import type { Check, CheckContext, CheckRun, Exerciser, ProbeKind, ProbeResult } from '../../src/checks/types.js';
import type { Exchange } from '../../src/client/exchange.js';
import type { HttpResponse } from '../../src/client/transport.js';
import type { ApiRequest, UpvestClient } from '../../src/client/upvest-client.js';

export interface Canned {
  status: number;
  json?: unknown;
  raw?: string;
}
export type Answer = Canned | Error | Promise<Canned>;

/** The name a request is recorded by: a probe of a fake check carries its id as purpose; other requests are `METHOD /path`. */
export const nameOf = (request: ApiRequest) => request.purpose ?? `${request.method} ${request.path}`;

/** A client whose `send` answers through `answer`; `sent` lists what was sent, in order. */
export function fakeClient(answer: (request: ApiRequest) => Answer = () => ({ status: 200, json: {} })) {
  const sent: string[] = [];
  const client = {
    // A fixed-token client: no token requests, nothing to forget.
    tokens: { scoped: false, token: async () => 'token', invalidate: () => {}, invalidateAll: () => {} },
    async send(request: ApiRequest): Promise<HttpResponse> {
      sent.push(nameOf(request));
      const answered = answer(request);
      if (answered instanceof Error) throw answered;
      const { status, json, raw } = await answered;
      const body = Buffer.from(raw ?? (json === undefined ? '' : JSON.stringify(json)));
      const url = `https://target.example${request.path}`;
      const exchange: Exchange = {
        id: sent.length,
        attempt: 1,
        startedAt: '2025-01-01T00:00:00.000Z',
        durationMs: 5,
        request: { method: request.method, url, headers: {} },
        response: { status, headers: {}, bodyExcerpt: body.toString(), bodyBytes: body.length, truncated: false },
      };
      return {
        method: request.method,
        url,
        status,
        headers: { 'content-type': 'application/json' },
        body,
        durationMs: 5,
        attempts: 1,
        exchange,
        text: () => body.toString(),
        json: () => JSON.parse(body.toString()),
      };
    },
  };
  return { client: client as unknown as UpvestClient, sent };
}

/** What a fake check does in each phase (it always records what it observed). */
export interface FakeCheckOptions {
  observes?: readonly ProbeKind[];
  start?: (ctx: CheckContext) => void;
  exercise?: (exerciser: Exerciser, ctx: CheckContext) => Promise<void>;
  observe?: (result: ProbeResult, ctx: CheckContext) => void;
  conclude?: (ctx: CheckContext) => void;
}

/** A check that records the probe ids it observed in `seen[name]`. */
export function fakeCheck(name: string, seen: Record<string, string[]>, options: FakeCheckOptions = {}): Check {
  seen[name] = [];
  return {
    name,
    title: name,
    severity: 'error',
    scope: 'operation',
    ...(options.observes ? { observes: options.observes } : {}),
    appliesTo: () => true,
    start(ctx): CheckRun {
      options.start?.(ctx);
      return {
        observe: (result) => {
          seen[name].push(result.probe.id);
          options.observe?.(result, ctx);
        },
        ...(options.exercise ? { exercise: (exerciser: Exerciser) => options.exercise!(exerciser, ctx) } : {}),
        ...(options.conclude ? { conclude: () => options.conclude!(ctx) } : {}),
      };
    },
  };
}
