/**
 * The target of a run as the suites see it: a serializable description (passed to vitest
 * workers through `provide`) and the client built from it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Deadline } from '../client/deadline.js';
import { Transport, type TransportOptions } from '../client/transport.js';
import { UpvestClient } from '../client/upvest-client.js';
import { secrets } from '../client/redact.js';
import { loadSigningKey, signerOf, type SigningKey, type SigningLibrary } from '../signing/index.js';
import type { TargetFacts } from './environment.js';
import type { Baseline } from './baseline.js';

export interface TargetDescription {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** A fixed bearer token instead of the token endpoint. */
  accessToken?: string;
  /** PEM or file path; absent when requests are not signed. */
  signingKey?: string;
  signingKeyId?: string;
  signingKeyPassphrase?: string;
  /** Draft of every signature (default '15'). */
  signatureVersion?: '15' | '6';
  /** What signs with a P-521 key (default 'auto'). */
  signingLibrary?: SigningLibrary;
  accountIds: string[];
  executionId?: string;
  triggerAccountIds: string[];
  timeoutMs: number;
  deadlineMs: number;
  concurrency: number;
  maxResponseBytes: number;
  pageLimit: number;
  maxPages: number;
  minEnumCoverage: number;
  only: string[];
  skip: string[];
  bail: boolean;
  /** True when the target is the mock this run started. */
  embeddedMock: boolean;
  /** The target is an upvest-conformance mock whose /__mock endpoints the webhook suite may drive. */
  mockControl: boolean;
  /** Known deviations (already read and validated). */
  baseline?: Baseline;
  /** Combinations of list parameters: every pair (quick, the default) or every triple (full). */
  depth?: 'quick' | 'full';
  /** Warnings fail the gate too (--fail-on warning). */
  failOn?: 'error' | 'warning';
  /** A missing or forged signature accepted is an error (default: when the target is an Upvest host). */
  expectSignatureVerification?: boolean;
}

/** Upvest's own hosts verify signatures: there a signature accepted unverified is a violation. */
export function expectsSignatureVerification(target: Pick<TargetDescription, 'baseUrl' | 'expectSignatureVerification'>): boolean {
  if (target.expectSignatureVerification !== undefined) return target.expectSignatureVerification;
  const host = new URL(target.baseUrl).hostname.toLowerCase();
  return host === 'upvest.co' || host.endsWith('.upvest.co');
}

/** What the transport does that a run's events tell (progress): each request as sent, each wait before a retry. */
export type TransportEvent = { type: 'request-sent'; method: string; url: string } | { type: 'retry-wait'; url: string; waitMs: number };

export interface PreparedTarget {
  client: UpvestClient;
  transport: Transport;
  deadline: Deadline;
  facts: TargetFacts;
  /** Who hears the transport's events (the running engine's bus); undefined: nobody. */
  observe?(listener: ((event: TransportEvent) => void) | undefined): void;
  close(): Promise<void>;
}

/** `transport` adds transport options (benchmarks pass a tap). */
export function prepareTarget(target: TargetDescription, transport: Partial<TransportOptions> = {}): PreparedTarget {
  for (const value of [target.clientSecret, target.signingKeyPassphrase, target.accessToken]) secrets.add(value);
  let signingKey: SigningKey | undefined;
  if (target.signingKey) {
    signingKey = loadSigningKey({
      key: target.signingKey,
      keyId: target.signingKeyId ?? 'default',
      passphrase: target.signingKeyPassphrase,
      library: target.signingLibrary,
    });
  }
  const deadline = new Deadline(target.deadlineMs);
  let listener: ((event: TransportEvent) => void) | undefined;
  // A wait keeps the process alive: when every request of the run waits at once, nothing else
  // may, and Node would exit mid-run with code 13 and no report.
  const wait = transport.sleep ?? ((ms: number, signal: AbortSignal | undefined) => sleep(ms, undefined, { signal }));
  const http = new Transport({
    ...transport,
    // Only the method and URL leave here: the request's headers carry credentials.
    tap: (request) => {
      transport.tap?.(request);
      listener?.({ type: 'request-sent', method: request.method, url: request.url });
    },
    sleep: (ms, signal, request) => {
      listener?.({ type: 'retry-wait', url: request.url, waitMs: ms });
      return wait(ms, signal, request);
    },
    connectTimeoutMs: target.timeoutMs,
    headersTimeoutMs: target.timeoutMs,
    bodyTimeoutMs: target.timeoutMs,
    maxResponseBytes: target.maxResponseBytes,
    deadline,
    connections: target.concurrency,
  });
  const client = new UpvestClient({
    baseUrl: target.baseUrl,
    clientId: target.clientId,
    clientSecret: target.clientSecret,
    accessToken: target.accessToken,
    signingKey,
    signatureVersion: target.signatureVersion,
    transport: http,
  });
  return {
    client,
    transport: http,
    deadline,
    facts: {
      accountIds: target.accountIds,
      executionId: target.executionId,
      triggerAccountIds: target.triggerAccountIds,
      signing: Boolean(signingKey),
      ...(signingKey ? { signer: `${signingKey.algorithm} by ${signerOf(signingKey)}` } : {}),
      expectSignatureVerification: expectsSignatureVerification(target),
      scopedTokens: !target.accessToken,
      pageLimit: target.pageLimit,
      depth: target.depth ?? 'quick',
      maxPages: target.maxPages,
      minEnumCoverage: target.minEnumCoverage,
    },
    observe: (next) => {
      listener = next;
    },
    close: async () => {
      deadline.dispose();
      await http.close();
    },
  };
}
