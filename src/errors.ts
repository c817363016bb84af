/**
 * Errors of the harness itself (not findings about the target): each class has a stable code,
 * a default message, and a hint saying what to do. The CLI prints `code: message` plus the
 * hint and exits with `exitCode`, never a bare stack trace. Messages never carry secrets.
 */

export interface HarnessErrorOptions {
  cause?: unknown;
  hint?: string;
  /** Structured context for reports (never secrets). */
  details?: Record<string, unknown>;
}

export abstract class HarnessError extends Error {
  abstract readonly code: string;
  readonly hint?: string;
  readonly details?: Record<string, unknown>;
  /** 2: usage, configuration or an unusable target. */
  readonly exitCode: number = 2;

  constructor(message: string, options: HarnessErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.details = options.details;
  }

  /** One line for humans: `CODE: message`. */
  override toString(): string {
    return `${this.code}: ${this.message}`;
  }
}

function defineError<C extends string>(code: C, defaultMessage: string, defaultHint?: string) {
  return class extends HarnessError {
    static readonly code: C = code;
    static readonly defaultMessage = defaultMessage;
    readonly code: C = code;
    constructor(message: string = defaultMessage, options: HarnessErrorOptions = {}) {
      super(message, { ...options, hint: options.hint ?? defaultHint });
    }
  };
}

export class ConfigMissingError extends defineError(
  'CT_ERR_CONFIG_MISSING',
  'A required setting is missing',
  'Set it with its CLI flag, environment variable or upvest-conformance.config.json (see `upvest-conformance run --help`).',
) {}
export class ConfigInvalidError extends defineError(
  'CT_ERR_CONFIG_INVALID',
  'A setting has an invalid value',
  'Correct the value where it is set (CLI flag, environment variable or config file).',
) {}
export class ConfigFileError extends defineError(
  'CT_ERR_CONFIG_FILE',
  'The config file cannot be read',
  'Check that the file exists and holds a JSON object (or a .ts module exporting one as default).',
) {}
export class UsageError extends defineError('CT_ERR_USAGE', 'Invalid command line', 'Run the command with --help to see its options.') {}
export class SigningKeyError extends defineError(
  'CT_ERR_SIGNING_KEY',
  'The signing key cannot be loaded',
  'Give a PEM private key (ECDSA P-256/P-521 or Ed25519) as a file path or inline PEM, and its passphrase if it is encrypted.',
) {}
export class TargetUnreachableError extends defineError(
  'CT_ERR_TARGET_UNREACHABLE',
  'The target cannot be reached',
  'Check --base-url, that the server runs, and that the name resolves.',
) {}
export class ConnectTimeoutError extends defineError(
  'CT_ERR_CONNECT_TIMEOUT',
  'Connecting to the target timed out',
  'Check that the target is reachable, or raise --timeout.',
) {}
export class HeadersTimeoutError extends defineError(
  'CT_ERR_HEADERS_TIMEOUT',
  'The target sent no response headers in time',
  'The target is hanging; raise --timeout if it is only slow.',
) {}
export class BodyTimeoutError extends defineError(
  'CT_ERR_BODY_TIMEOUT',
  'The target stopped sending the response body',
  'The target is dripping or stalled; raise --timeout if it is only slow.',
) {}
export class ResponseTooLargeError extends defineError(
  'CT_ERR_RESPONSE_TOO_LARGE',
  'The response body is larger than the limit',
  'Raise --max-response-bytes if such bodies are expected.',
) {}
export class ResponseAbortedError extends defineError(
  'CT_ERR_RESPONSE_ABORTED',
  'The connection closed before the response was complete',
  'The target closed the socket mid-response; check its logs.',
) {}
export class InvalidJsonError extends defineError(
  'CT_ERR_INVALID_JSON',
  'The response body is not valid JSON',
  'The target answered with a body that does not parse; see the content type and first bytes in the message.',
) {}
export class HttpProtocolError extends defineError(
  'CT_ERR_HTTP_PROTOCOL',
  'The target sent a response that is not usable HTTP',
  'The target broke the HTTP/1.1 framing (headers too large, an unsolicited 1xx, not HTTP at all); check its logs or any proxy.',
) {}
export class InvalidHeaderValueError extends defineError(
  'CT_ERR_INVALID_HEADER',
  'A request header would carry characters HTTP does not allow',
  'Remove CR, LF and other control characters from the setting or answer the message names.',
) {}
export class CrossOriginRedirectError extends defineError(
  'CT_ERR_CROSS_ORIGIN',
  'The target redirected to another origin',
  'Credentials are never sent to another origin; point --base-url at the final origin.',
) {}
export class DeadlineExceededError extends defineError(
  'CT_ERR_DEADLINE',
  'The run deadline passed',
  'Raise --deadline, or look at which requests were slow in the report.',
) {}
export class RateLimitedError extends defineError(
  'CT_ERR_RATE_LIMITED',
  'The target kept answering 429 Too Many Requests',
  'Lower --concurrency, or wait for the quota to reset.',
) {}
export class TargetRefusesError extends defineError(
  'CT_ERR_TARGET_REFUSES',
  "The target refuses this run's documented requests",
  "The cause is the run's configuration, not the target: fix the setting the message names and run again.",
) {}
export class TokenRequestError extends defineError(
  'CT_ERR_AUTH_TOKEN',
  'The token endpoint refused the client credentials',
  'Check --client-id / --client-secret and the scopes the client may request.',
) {}
export class MockStartError extends defineError(
  'CT_ERR_MOCK_START',
  'The bundled mock could not start',
  'Choose another --port, or free the one in use.',
) {}
export class ReportInputError extends defineError(
  'CT_ERR_REPORT_INPUT',
  'A report file cannot be read',
  'Give the path of a report.json written by `upvest-conformance run`.',
) {}
export class BaselineError extends defineError(
  'CT_ERR_BASELINE',
  'The baseline file is invalid',
  'Each entry needs check, operation and reason; regenerate it with --update-baseline.',
) {}
export class ReportDirError extends defineError(
  'CT_ERR_REPORT_DIR',
  'The report folder cannot be written',
  'Give --report-dir a folder that exists or can be created, and that this user may write to.',
) {}
export class JwksError extends defineError(
  'CT_ERR_JWKS',
  'The public keys (JWKS) cannot be used',
  'Give --jwks-file a JSON file {"keys": [JWK, …]} or --jwks-url a URL that serves one (as /auth/verify_keys does).',
) {}
export class WebhookCassetteError extends defineError(
  'CT_ERR_CASSETTE',
  'The cassette cannot be read',
  'Give an NDJSON cassette written by `upvest-conformance listen`.',
) {}
export class ListenTimeoutError extends defineError(
  'CT_ERR_LISTEN_TIMEOUT',
  'Not every expected webhook event arrived in time',
  'Check that the provider delivers to this listener, or raise --timeout.',
) {}

/** Every harness error class, for the CLI's documentation and the table-driven test. */
export const HARNESS_ERRORS = [
  ConfigMissingError,
  ConfigInvalidError,
  ConfigFileError,
  UsageError,
  SigningKeyError,
  TargetUnreachableError,
  ConnectTimeoutError,
  HeadersTimeoutError,
  BodyTimeoutError,
  ResponseTooLargeError,
  ResponseAbortedError,
  InvalidJsonError,
  HttpProtocolError,
  InvalidHeaderValueError,
  CrossOriginRedirectError,
  DeadlineExceededError,
  RateLimitedError,
  TokenRequestError,
  TargetRefusesError,
  MockStartError,
  ReportInputError,
  BaselineError,
  ReportDirError,
  JwksError,
  WebhookCassetteError,
  ListenTimeoutError,
] as const;

export function isHarnessError(error: unknown): error is HarnessError {
  return error instanceof HarnessError;
}
