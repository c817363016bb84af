/**
 * The bundled mock of the slice: the embedded default target of `upvest-conformance run`, the
 * project's own test target, and a local stand-in for the sandbox. Request pipeline, in the
 * order the real API answers: route (404/405) → Accept (406) → bearer (401) → signature (401)
 * → upvest-client-id (400/403) → scope (403) → rate limit (429) → parameters (400) → body
 * (400) → operation. Every response carries upvest-request-id; every error is problem+json.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ValidateFunction } from 'ajv';
import { manifest as specManifest } from '../spec/manifest.js';
import type { ManifestOperation } from '../spec/manifest-types.js';
import { bodyValidator, parametersValidator } from '../spec/validate.js';
import { MockStartError } from '../errors.js';
import {
  generateSigningKey,
  headersFromRaw,
  publicJwk,
  type KeyResolver,
  type SignatureVersion,
  type SigningKey,
} from '../signing/index.js';
import { SignaturePolicy } from './signature-policy.js';
import { RateLimiter, TokenStore, type MockClient } from './auth.js';
import { ManualClock, SteppableClock, systemClock, type Clock } from './clock.js';
import { World } from './data.js';
import { acceptsJson, BodyTooLargeError, jsonResponse, problemResponse, readBody, writeResponse, type MockResponse } from './http.js';
import { stableUuid, requestId as newRequestId } from './ids.js';
import { Operations } from './operations.js';
import { Router } from './router.js';
import { EventSource } from './events.js';
import { FaultSet, type FaultContext } from './faults.js';
import { WebhookDispatcher, type DeliveryMode } from './webhook-dispatcher.js';

export const DEFAULT_MOCK_CLIENT_SECRET = 'mock-client-secret';

export interface MockOptions {
  port?: number;
  host?: string;
  seed?: number;
  /** Clients allowed to request tokens; default one client derived from the seed. */
  clients?: MockClient[];
  /** Public keys of client signing keys: when given, signatures are verified; otherwise only required. */
  signatureKeys?: KeyResolver;
  /** Seconds `created` may be ahead of the clock and `expires` behind it (default 30); see signature-policy.ts. */
  signatureToleranceSeconds?: number;
  /** Accept a signature nonce seen before (load tools that resend captured requests); default false. */
  allowNonceReuse?: boolean;
  /** Requests per second per client; 429 with Retry-After beyond it. */
  rateLimit?: number;
  clock?: Clock;
  tokenTtlSeconds?: number;
  valuationDays?: number;
  positionsPerValuation?: number;
  /** Where webhook events are delivered; can also be set later with `registerWebhook`. */
  webhookUrl?: string;
  webhookMode?: DeliveryMode;
  /** Delays between delivery retries (default Upvest's 1, 2, 3, 5, 8 … 600 s). */
  webhookRetryDelaysMs?: number[];
  webhookSigningKey?: SigningKey;
  /** The version webhook deliveries are signed with: '6' (default), as Upvest signs its webhooks, or '15'. */
  webhookSignatureVersion?: SignatureVersion;
  maxBodyBytes?: number;
  /** Print one line per request to this function (the CLI passes console.log). */
  log?: (line: string) => void;
  /** Contract violations to commit on purpose (src/mock/faults.ts); never set by `run`. */
  faults?: readonly string[];
  /** Sees every request as received (tests use it to learn the tokens and signatures sent). */
  observe?: (request: { method: string; url: string; headers: Record<string, string> }) => void;
}

export interface MockFixtures {
  clientId: string;
  clientSecret: string;
  accounts: { id: string; type: 'TRADING' | 'PORTFOLIO'; business: boolean }[];
  executions: { id: string; orders: number }[];
  allocations: string[];
  webhookKeyId: string;
}

export interface MockHandle {
  url: string;
  fixtures: MockFixtures;
  clock: Clock;
  world: World;
  operations: Operations;
  webhooks: WebhookDispatcher;
  tokens: TokenStore;
  /** Deliver the mock's events to this URL from now on. */
  registerWebhook(url: string, mode?: DeliveryMode): void;
  /** With a ManualClock: move time and emit what it produced. */
  advance(ms: number): void;
  close(): Promise<void>;
}

interface Pipeline {
  faults: FaultSet;
  world: World;
  router: Router;
  clients: Map<string, MockClient>;
  tokens: TokenStore;
  limiter?: RateLimiter;
  operations: Operations;
  signatures: SignaturePolicy;
  webhookKeyJwk: ReturnType<typeof publicJwk>;
  clock: Clock;
  maxBodyBytes: number;
  onControl: (path: string, query: URLSearchParams) => MockResponse | undefined;
}

/** Repeated header lines joined with ", " (RFC 9110), not Node's first-line-wins for some names. */
function requestHeaders(req: IncomingMessage): Record<string, string> {
  return headersFromRaw(req.rawHeaders);
}

function queryObject(params: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    // A repeated parameter stays a list, which the validators reject as not a single value.
    out[key] = all.length === 1 ? all[0] : all;
  }
  return out;
}

/** The first validation error as a sentence naming the parameter. */
function describeParameterError(validate: ValidateFunction): string {
  const error = validate.errors?.[0];
  if (!error) return 'invalid request parameters';
  const [, location, ...rest] = error.instancePath.split('/');
  const missing = (error.params as { missingProperty?: string }).missingProperty;
  const where = location === 'path' ? 'path parameter' : location === 'query' ? 'query parameter' : 'header';
  if (error.keyword === 'required' && missing) return `${where} '${missing}' is required`;
  const name = rest.join('/').replace(/~1/g, '/').replace(/~0/g, '~');
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
  return `${where} '${name}' ${error.message ?? 'is invalid'}${allowed ? ` (${allowed.join(', ')})` : ''}`;
}

function describeBodyError(validate: ValidateFunction): string {
  const errors = validate.errors ?? [];
  // For a oneOf body, the branch errors say more than "must match exactly one schema".
  const specific = errors.find((e) => e.keyword !== 'oneOf') ?? errors[0];
  if (!specific) return 'invalid request body';
  const property =
    (specific.params as { additionalProperty?: string; missingProperty?: string }).additionalProperty ??
    (specific.params as { missingProperty?: string }).missingProperty;
  const at = specific.instancePath || '/';
  const shape = 'the body must be {"accounts": [uuid, …]} or {"allocations": [uuid, …]}';
  return `request body ${at}: ${specific.message ?? 'is invalid'}${property ? ` ('${property}')` : ''}; ${shape}`;
}

function satisfiesScopes(operation: ManifestOperation, scopes: Set<string>): boolean {
  return operation.scopes.length === 0 || operation.scopes.some((set) => set.every((scope) => scopes.has(scope)));
}

async function handleToken(p: Pipeline, req: IncomingMessage, body: Buffer, rid: string): Promise<MockResponse> {
  if (req.method !== 'POST') return problemResponse(405, 'the token endpoint accepts POST only', rid, { allow: 'POST' });
  if (!(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    return problemResponse(400, 'the token request must be application/x-www-form-urlencoded', rid);
  }
  const form = new URLSearchParams(body.toString('utf8'));
  if (form.get('grant_type') !== 'client_credentials') return problemResponse(400, "grant_type must be 'client_credentials'", rid);
  const client = p.clients.get(form.get('client_id') ?? '');
  if (!client || client.clientSecret !== form.get('client_secret'))
    return problemResponse(401, 'unknown client or wrong client secret', rid);
  if (p.signatures.verifies) {
    const refusal = p.signatures.check({ method: 'POST', url: req.url ?? '/', headers: requestHeaders(req), body });
    if (refusal) return problemResponse(401, `signature rejected (${refusal.step}): ${refusal.message}`, rid);
  }
  const requested = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
  const refused = requested.filter((scope) => !client.scopes.includes(scope));
  if (refused.length > 0) return problemResponse(403, `the client may not request the scopes: ${refused.join(', ')}`, rid);
  const granted = requested.length > 0 ? requested : client.scopes;
  const issued = p.tokens.issue(client.clientId, granted);
  return jsonResponse(
    200,
    { access_token: issued.token, token_type: 'bearer', expires_in: issued.expiresIn, scope: granted.join(' ') },
    rid,
    { 'cache-control': 'no-store' },
  );
}

/** The largest clock step the control endpoint takes at once. */
const MAX_ADVANCE_MS = 366 * 86_400_000;

async function handle(p: Pipeline, req: IncomingMessage): Promise<MockResponse> {
  const rid = newRequestId();
  let body: Buffer;
  try {
    body = await readBody(req, p.maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return problemResponse(400, `${error.message}`, rid);
    throw error;
  }
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://mock.invalid');
  } catch {
    return problemResponse(400, 'the request target is not a valid URL path', rid);
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname;

  if (path.startsWith('/__mock/'))
    return p.onControl(path, url.searchParams) ?? problemResponse(404, `no mock control endpoint ${path}`, rid);
  if (path === '/auth/token') return handleToken(p, req, body, rid);
  if (path === '/auth/verify_keys') {
    if (method !== 'GET') return problemResponse(405, 'GET only', rid, { allow: 'GET' });
    return jsonResponse(200, { keys: [p.webhookKeyJwk] }, rid);
  }

  const match = p.router.match(method, path);
  if (match.kind === 'not-found') return problemResponse(404, `no resource at ${path}`, rid);
  if (match.kind === 'method-not-allowed') {
    const allow: Record<string, string> = p.faults.bypasses('allow-header') ? {} : { allow: match.allow.join(', ') };
    return problemResponse(405, `${method} is not allowed on ${match.template}; allowed: ${match.allow.join(', ')}`, rid, allow);
  }
  const faultContext: FaultContext = {
    operation: match.operation,
    rawQuery: queryObject(url.searchParams),
    pathParams: match.pathParams,
    secondAccountId: p.world.accounts[1].id,
    memory: p.faults.memory,
  };
  const query: Record<string, unknown> = {};
  const response = await handleOperation(p, {
    req,
    operation: match.operation,
    pathParams: match.pathParams,
    url,
    body,
    rid,
    query,
    faultContext,
  });
  return p.faults.adjustResponse(response, query, faultContext);
}

interface OperationRequest {
  req: IncomingMessage;
  operation: ManifestOperation;
  pathParams: Record<string, string>;
  url: URL;
  body: Buffer;
  rid: string;
  /** Filled with the validated query, for the fault modes that restore what they changed. */
  query: Record<string, unknown>;
  faultContext: FaultContext;
}

/** For the side-effect faults: carry out a refused trigger with what of its body names accounts. */
function carryOutAnyway(
  p: Pipeline,
  operation: ManifestOperation,
  clientId: string,
  rid: string,
  path: Record<string, string>,
  headers: Record<string, string>,
  body: Buffer,
): void {
  if (!operation.requestBody) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return;
  }
  const accounts = (parsed as { accounts?: unknown } | null)?.accounts;
  if (!Array.isArray(accounts)) return;
  p.operations.handle(operation.operationId, {
    clientId,
    requestId: rid,
    path,
    query: {},
    header: { ...headers, 'idempotency-key': crypto.randomUUID() },
    body: { accounts },
    rawBody: body,
  });
}

async function handleOperation(p: Pipeline, request: OperationRequest): Promise<MockResponse> {
  const { req, operation, pathParams, url, body, rid, query, faultContext } = request;
  const method = operation.method;
  const headers = requestHeaders(req);

  if (!acceptsJson(headers.accept) && !p.faults.bypasses('accept'))
    return problemResponse(406, `no representation matches Accept: ${headers.accept}; this resource is application/json`, rid);

  const authorization = headers.authorization;
  let token: ReturnType<TokenStore['lookup']>;
  if (!authorization && p.faults.bypasses('missing-bearer')) {
    token = { clientId: [...p.clients.keys()][0], scopes: new Set(specManifest.security.scopes), expiresAt: Number.POSITIVE_INFINITY };
  } else {
    if (!authorization)
      return problemResponse(401, 'the authorization header is missing; send Authorization: Bearer <token>', rid, {
        'www-authenticate': 'Bearer',
      });
    const bearer = /^Bearer ([a-zA-Z0-9\-._~+/]+=*)$/.exec(authorization)?.[1];
    if (!bearer) return problemResponse(401, 'the authorization header is not a bearer token', rid, { 'www-authenticate': 'Bearer' });
    token = p.tokens.lookup(bearer);
  }
  if (!token) return problemResponse(401, 'the bearer token is not valid', rid, { 'www-authenticate': 'Bearer error="invalid_token"' });
  if (token === 'expired')
    return problemResponse(401, 'the bearer token has expired', rid, { 'www-authenticate': 'Bearer error="invalid_token"' });

  // A fault: only signature-input is looked for, and without a signature nothing is verified.
  const signatureAloneUnchecked = p.faults.bypasses('signature-header-alone');
  if ((!headers.signature && !signatureAloneUnchecked) || !headers['signature-input'])
    return problemResponse(401, 'the request is not signed: signature and signature-input headers are required', rid);
  if (!p.faults.bypasses('invalid-signature') && !(signatureAloneUnchecked && !headers.signature)) {
    const refusal = p.signatures.check({ method, url: req.url ?? '/', headers, body: body.length > 0 ? body : null });
    if (refusal) return problemResponse(401, `signature rejected (${refusal.step}): ${refusal.message}`, rid);
  }

  // Operations that do not document 400 refuse malformed input with a status they do document.
  const documents400 = operation.responses.some((r) => r.status === '400');
  const clientIdHeader = headers['upvest-client-id'] ?? (p.faults.bypasses('missing-client-id') ? token.clientId : undefined);
  if (!clientIdHeader) return problemResponse(documents400 ? 400 : 401, "header 'upvest-client-id' is required", rid);
  if (clientIdHeader.toLowerCase() !== token.clientId.toLowerCase())
    return problemResponse(403, 'upvest-client-id does not match the client the token was issued to', rid);
  if (!satisfiesScopes(operation, token.scopes) && !p.faults.bypasses('wrong-scope')) {
    // A fault: the forbidden trigger is carried out all the same.
    if (p.faults.bypasses('forbidden-creates')) carryOutAnyway(p, operation, token.clientId, rid, pathParams, headers, body);
    return problemResponse(
      403,
      `the token lacks the scope this operation needs: ${operation.scopes.map((s) => s.join(' + ')).join(' or ')}`,
      rid,
    );
  }
  if (p.limiter) {
    const wait = p.limiter.take(token.clientId);
    if (wait !== undefined) return problemResponse(429, 'rate limit exceeded', rid, { 'retry-after': String(wait) });
  }

  // A fault that serves a request without a header serves it whole: past the header's validation too.
  const bypassed: Record<string, string> = {};
  if (!headers.authorization && p.faults.bypasses('missing-bearer')) bypassed.authorization = 'Bearer bypassed-by-fault';
  if (!headers.signature && signatureAloneUnchecked) bypassed.signature = 'sig1=:bypassed-by-fault:';
  const params = {
    path: pathParams,
    query: queryObject(url.searchParams),
    header: { ...headers, ...bypassed, 'upvest-client-id': clientIdHeader },
  };
  const validateParams = parametersValidator(operation.parametersValidator);
  if (!validateParams(params)) {
    // Without a documented 400, a malformed id or header value is answered as an unknown resource.
    return problemResponse(documents400 ? 400 : 404, describeParameterError(validateParams), rid);
  }

  let parsed: unknown;
  if (operation.requestBody) {
    if (body.length === 0) return problemResponse(400, 'the request body is required', rid);
    if (!(headers['content-type'] ?? '').includes('application/json'))
      return problemResponse(400, 'the request body must be application/json', rid);
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return problemResponse(400, 'the request body is not valid JSON', rid);
    }
    const validateBody = bodyValidator(operation.requestBody.validator);
    if (!validateBody(parsed)) {
      // A fault: the refused trigger is carried out all the same, with what of its body was valid.
      if (p.faults.bypasses('refused-creates')) carryOutAnyway(p, operation, token.clientId, rid, pathParams, headers, body);
      return problemResponse(400, describeBodyError(validateBody), rid);
    }
  }

  Object.assign(query, params.query);
  p.faults.adjustQuery(query, faultContext);
  return p.operations.handle(operation.operationId, {
    clientId: token.clientId,
    requestId: rid,
    path: params.path,
    query,
    header: params.header,
    body: parsed,
    rawBody: body,
  });
}

export async function startMock(options: MockOptions = {}): Promise<MockHandle> {
  const seed = options.seed ?? 1;
  const clock = options.clock ?? systemClock;
  const defaultClient: MockClient = {
    clientId: stableUuid(seed, 'client'),
    clientSecret: DEFAULT_MOCK_CLIENT_SECRET,
    scopes: specManifest.security.scopes,
  };
  const clients = options.clients ?? [defaultClient];
  const world = new World(
    { seed, start: clock.now(), valuationDays: options.valuationDays ?? 400, positionsPerValuation: options.positionsPerValuation ?? 5 },
    clients[0].clientId,
  );
  const faults = new FaultSet(options.faults);
  const operations = new Operations(world, clock, {
    idempotencyTtlMs: 24 * 3_600_000,
    maxIdempotencyKeys: 10_000,
    maxExecutions: 10_000,
    replayCreatesNew: faults.bypasses('idempotency'),
  });
  const tokens = new TokenStore(clock, options.tokenTtlSeconds ?? 3600);
  const webhookKey = options.webhookSigningKey ?? generateSigningKey('ecdsa-p521-sha512', stableUuid(seed, 'webhook-key'));
  const events = new EventSource(world, clock);
  const webhooks = new WebhookDispatcher({
    signingKey: webhookKey,
    signatureVersion: options.webhookSignatureVersion ?? '6',
    retryDelaysMs: options.webhookRetryDelaysMs,
    mode: options.webhookMode ?? 'bundled',
    log: options.log,
  });
  if (options.webhookUrl) webhooks.register(options.webhookUrl, options.webhookMode);

  const pump = () => {
    const produced = events.collect(clock.now()).map((event) => faults.adjustEvent(event));
    if (produced.length > 0 && webhooks.registered) webhooks.enqueue(produced);
  };
  operations.onChange = pump;
  const unsubscribe = clock instanceof SteppableClock ? clock.onAdvance(pump) : undefined;
  // Where time moves by itself, look for events now and then.
  const ticker = clock instanceof ManualClock ? undefined : setInterval(pump, 250);
  ticker?.unref();

  const pipeline: Pipeline = {
    faults,
    world,
    router: new Router(specManifest),
    clients: new Map(clients.map((c) => [c.clientId, c])),
    tokens,
    limiter: options.rateLimit ? new RateLimiter(options.rateLimit) : undefined,
    operations,
    signatures: new SignaturePolicy({
      keys: options.signatureKeys,
      toleranceSeconds: options.signatureToleranceSeconds,
      allowNonceReuse: options.allowNonceReuse,
    }),
    webhookKeyJwk: publicJwk(webhookKey),
    clock,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    onControl: (path, query) => {
      const rid = newRequestId();
      if (path === '/__mock/clock') {
        const raw = query.get('advance') ?? '0';
        const ms = /^\d{1,12}$/.test(raw) ? Number(raw) : Number.NaN;
        // A bounded whole number: a huge step (1e308) would move every order through years of states at once.
        if (!(ms >= 0 && ms <= MAX_ADVANCE_MS))
          return problemResponse(400, `advance must be a whole number of milliseconds from 0 to ${MAX_ADVANCE_MS} (a year)`, rid);
        if (ms > 0) {
          if (!(clock instanceof SteppableClock))
            return problemResponse(400, 'the mock runs on real time; start it with --clock manual to advance it', rid);
          clock.advance(ms);
        }
        return jsonResponse(200, { now: new Date(clock.now()).toISOString() }, rid);
      }
      if (path === '/__mock/webhooks') {
        const url = query.get('url');
        if (url) {
          try {
            new URL(url);
          } catch {
            return problemResponse(400, `url ${url} is not a URL`, rid);
          }
          const mode = query.get('mode');
          webhooks.register(url, mode === 'single' ? 'single' : mode === 'bundled' ? 'bundled' : undefined);
        }
        return jsonResponse(200, webhooks.stats(), rid);
      }
      return undefined;
    },
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    options.observe?.({ method: req.method ?? 'GET', url: req.url ?? '/', headers: requestHeaders(req) });
    handle(pipeline, req)
      .catch((error: unknown) => problemResponse(500, `the mock failed: ${(error as Error).message}`, newRequestId()))
      .then((response) => {
        writeResponse(res, response);
        options.log?.(`${req.method} ${req.url} → ${response.status} (${(performance.now() - started).toFixed(1)} ms)`);
      })
      .catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new MockStartError(
          `The mock cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 0}: ${error.code ?? error.message}`,
          { cause: error },
        ),
      ),
    );
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  const fixtures: MockFixtures = {
    clientId: clients[0].clientId,
    clientSecret: clients[0].clientSecret,
    accounts: world.accounts.map((a) => ({ id: a.id, type: a.type, business: Boolean(a.businessId) })),
    executions: [...world.executions.values()].map((e) => ({ id: e.id, orders: e.orderIds.length })),
    allocations: world.allocations.map((a) => a.id),
    webhookKeyId: webhookKey.keyId,
  };

  return {
    url,
    fixtures,
    clock,
    world,
    operations,
    webhooks,
    tokens,
    registerWebhook: (target, mode) => webhooks.register(target, mode),
    advance: (ms) => {
      if (!(clock instanceof SteppableClock))
        throw new Error('advance() needs a mock started with a steppable clock (ManualClock or AdjustableClock)');
      clock.advance(ms);
    },
    close: async () => {
      unsubscribe?.();
      if (ticker) clearInterval(ticker);
      await webhooks.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
