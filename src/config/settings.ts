/**
 * Every setting of `upvest-conformance run`, declared once: its CLI flag, environment variable,
 * config-file key, description and parser. The CLI builds its options from this table and the
 * loader resolves values from it (flags > environment > config file > default).
 */
import { ConfigInvalidError } from '../errors.js';
import { SIGNING_LIBRARIES } from '../signing/system-openssl.js';

export type SettingKind = 'string' | 'secret' | 'url' | 'uuid' | 'integer' | 'number' | 'boolean' | 'list';

export interface Setting<K extends string = string> {
  key: K;
  /** Long flag without value placeholder, e.g. `--base-url`; undefined when there is none. */
  flag?: string;
  /** Placeholder for the flag's value, e.g. `URL`. */
  valueName?: string;
  env?: string;
  kind: SettingKind;
  description: string;
  default?: unknown;
  /** Inclusive bounds for numbers. */
  min?: number;
  max?: number;
  /** Allowed values for strings and list items. */
  choices?: readonly string[];
  /** The value is sent in a header: control characters (CR, LF, NUL, …) are refused at once. */
  header?: boolean;
}

export const RUN_SETTINGS = [
  {
    key: 'baseUrl',
    flag: '--base-url',
    valueName: 'URL',
    env: 'UPVEST_BASE_URL',
    kind: 'url',
    description: 'Base URL of the target (the sandbox: https://sandbox.upvest.co). Without it, the bundled mock is started and tested.',
  },
  {
    key: 'clientId',
    flag: '--client-id',
    valueName: 'UUID',
    env: 'UPVEST_CLIENT_ID',
    kind: 'uuid',
    description: 'OAuth2 client id; also sent as the upvest-client-id header.',
  },
  {
    key: 'clientSecret',
    flag: '--client-secret',
    valueName: 'SECRET',
    env: 'UPVEST_CLIENT_SECRET',
    kind: 'secret',
    description: 'OAuth2 client secret (prefer the environment variable: flags show in process lists).',
  },
  {
    key: 'accessToken',
    flag: '--access-token',
    valueName: 'TOKEN',
    env: 'UPVEST_ACCESS_TOKEN',
    kind: 'secret',
    header: true,
    description:
      'Use this bearer token for every request instead of the token endpoint (for targets without /auth/token, such as Prism); ' +
      'cases that need a token lacking a scope are then not exercised.',
  },
  {
    key: 'signingKey',
    flag: '--signing-key',
    valueName: 'PATH|PEM',
    env: 'UPVEST_SIGNING_KEY',
    kind: 'secret',
    description:
      'Private key for HTTP message signatures (ECDSA P-521/P-256 or Ed25519), a PEM file path or the PEM itself. ' +
      'Signing is on whenever a key is set.',
  },
  {
    key: 'signingKeyId',
    flag: '--signing-key-id',
    valueName: 'ID',
    env: 'UPVEST_SIGNING_KEY_ID',
    kind: 'string',
    header: true,
    description: 'Key id Upvest registered for the signing key (the keyid signature parameter).',
  },
  {
    key: 'signatureVersion',
    flag: '--signature-version',
    valueName: '15|6',
    env: 'UPVEST_SIGNATURE_VERSION',
    kind: 'string',
    default: '15',
    choices: ['15', '6'],
    description:
      'HTTP message signature version of every signed request, the token request included: 15 (draft-15, what Upvest ' +
      'recommends) or 6 (draft-06, which Upvest still accepts); sent as upvest-signature-version.',
  },
  {
    key: 'signingLibrary',
    flag: '--signing-library',
    valueName: 'auto|node|system',
    env: 'UPVEST_SIGNING_LIBRARY',
    kind: 'string',
    default: 'auto',
    choices: SIGNING_LIBRARIES,
    description:
      "What makes P-521 signatures: auto (the system's OpenSSL, libcrypto.so.3 on glibc Linux, when it loads and its " +
      "signature verifies; about 7x faster than node's bundled OpenSSL), node (node:crypto), or system (and stop with an " +
      'error when it cannot). P-256 and Ed25519 keys always sign with node:crypto.',
  },
  {
    key: 'signingKeyPassphrase',
    env: 'UPVEST_SIGNING_KEY_PASSPHRASE',
    kind: 'secret',
    description: 'Passphrase of an encrypted signing key (environment or config file only).',
  },
  {
    key: 'sign',
    flag: '--no-sign',
    env: 'UPVEST_NO_SIGN',
    kind: 'boolean',
    default: true,
    description: 'Do not sign requests, for targets (such as a plain mock) that do not want signatures.',
  },
  {
    key: 'accountIds',
    flag: '--account-id',
    valueName: 'UUID',
    env: 'UPVEST_ACCOUNT_IDS',
    kind: 'list',
    default: [],
    description: 'Account whose valuations are read; repeatable (environment: comma-separated).',
  },
  {
    key: 'executionId',
    flag: '--execution-id',
    valueName: 'UUID',
    env: 'UPVEST_EXECUTION_ID',
    kind: 'uuid',
    description: 'An existing rebalancing execution to read; otherwise one is created by POST when the client may.',
  },
  {
    key: 'triggerAccountIds',
    flag: '--trigger-account-id',
    valueName: 'UUID',
    env: 'UPVEST_TRIGGER_ACCOUNT_IDS',
    kind: 'list',
    default: [],
    description: 'Accounts to rebalance when the suite creates an execution (defaults to the --account-id values).',
  },
  {
    key: 'only',
    flag: '--only',
    valueName: 'NAME',
    env: 'UPVEST_ONLY',
    kind: 'list',
    default: [],
    description: 'Run only these checks or operations (check name, operationId or "METHOD /path"); repeatable.',
  },
  {
    key: 'skip',
    flag: '--skip',
    valueName: 'NAME',
    env: 'UPVEST_SKIP',
    kind: 'list',
    default: [],
    description: 'Skip these checks or operations; repeatable.',
  },
  {
    key: 'bail',
    flag: '--bail',
    env: 'UPVEST_BAIL',
    kind: 'boolean',
    default: false,
    description: 'Stop at the first failing operation: the operations after it are skipped (they then run one at a time).',
  },
  {
    key: 'timeout',
    flag: '--timeout',
    valueName: 'SECONDS',
    env: 'UPVEST_TIMEOUT',
    kind: 'number',
    default: 30,
    min: 0.1,
    max: 3600,
    description: 'Per-request timeout for connecting, for the response headers and between body chunks.',
  },
  {
    key: 'deadline',
    flag: '--deadline',
    valueName: 'SECONDS',
    env: 'UPVEST_DEADLINE',
    kind: 'number',
    default: 600,
    min: 1,
    max: 86_400,
    description: 'Deadline for the whole run; requests still running then are aborted and reported.',
  },
  {
    key: 'concurrency',
    flag: '--concurrency',
    valueName: 'N',
    env: 'UPVEST_CONCURRENCY',
    kind: 'integer',
    default: 4,
    min: 1,
    max: 64,
    description: 'Requests in flight at once, shared by every operation (the trigger runs first, the reading operations together).',
  },
  {
    key: 'maxResponseBytes',
    flag: '--max-response-bytes',
    valueName: 'BYTES',
    env: 'UPVEST_MAX_RESPONSE_BYTES',
    kind: 'integer',
    default: 16 * 1024 * 1024,
    min: 1024,
    description: 'Largest response body accepted; a bigger one is an error, never buffered.',
  },
  {
    key: 'baseline',
    flag: '--baseline',
    valueName: 'FILE',
    env: 'UPVEST_BASELINE',
    kind: 'string',
    description: 'Known deviations (JSON, each with a reason): listed failures do not fail the gate.',
  },
  {
    key: 'updateBaseline',
    flag: '--update-baseline',
    kind: 'boolean',
    default: false,
    description: 'Rewrite the baseline file with the failures of this run (reasons of kept entries are preserved).',
  },
  {
    key: 'reportDir',
    flag: '--report-dir',
    valueName: 'DIR',
    env: 'UPVEST_REPORT_DIR',
    kind: 'string',
    default: 'reports',
    description: 'Folder the reports are written to.',
  },
  {
    key: 'reporters',
    flag: '--reporter',
    valueName: 'LIST',
    env: 'UPVEST_REPORTERS',
    kind: 'list',
    default: ['json', 'junit', 'md', 'html'],
    choices: ['json', 'junit', 'md', 'html'],
    description: 'Reports to write: json, junit, md, html (comma-separated or repeated).',
  },
  {
    key: 'minEnumCoverage',
    flag: '--min-enum-coverage',
    valueName: 'PERCENT',
    env: 'UPVEST_MIN_ENUM_COVERAGE',
    kind: 'number',
    default: 0,
    min: 0,
    max: 100,
    description: 'Fail the gate when fewer than PERCENT of the documented enum values were observed.',
  },
  {
    key: 'depth',
    flag: '--depth',
    valueName: 'DEPTH',
    env: 'UPVEST_DEPTH',
    kind: 'string',
    default: 'quick',
    choices: ['quick', 'full'],
    description:
      'How many combinations of list parameters to send: quick (every pair of values, about 30 per list) or full ' +
      '(every triple, about 150 per list).',
  },
  {
    key: 'failOn',
    flag: '--fail-on',
    valueName: 'SEVERITY',
    env: 'UPVEST_FAIL_ON',
    kind: 'string',
    default: 'error',
    choices: ['error', 'warning'],
    description:
      'What fails the gate: error (documented requirements; conventions are warnings) or warning (every finding, as ' +
      "ESLint's --max-warnings 0).",
  },
  {
    key: 'expectSignatureVerification',
    flag: '--expect-signature-verification',
    env: 'UPVEST_EXPECT_SIGNATURE_VERIFICATION',
    kind: 'boolean',
    description:
      'The target must verify HTTP message signatures: a missing or forged signature accepted is an error, not a warning ' +
      '(default: on when the base URL is an Upvest host, *.upvest.co).',
  },
  {
    key: 'mockControl',
    flag: '--mock-control',
    env: 'UPVEST_MOCK_CONTROL',
    kind: 'boolean',
    default: false,
    description:
      'The target is an upvest-conformance mock: use its /__mock endpoints to check the webhooks it delivers ' +
      '(on by itself for the bundled mock).',
  },
  {
    key: 'pageLimit',
    flag: '--page-limit',
    valueName: 'N',
    env: 'UPVEST_PAGE_LIMIT',
    kind: 'integer',
    default: 2,
    min: 1,
    max: 1000,
    description: 'Page size used when walking every page of a list (pagination traversal).',
  },
  {
    key: 'maxPages',
    flag: '--max-pages',
    valueName: 'N',
    env: 'UPVEST_MAX_PAGES',
    kind: 'integer',
    default: 200,
    min: 1,
    max: 100_000,
    description: 'Most pages walked per list; a longer list is walked at a larger page size.',
  },
] as const satisfies readonly Setting[];

export type RunSettingKey = (typeof RUN_SETTINGS)[number]['key'];

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A character by its name or code point, for messages (never the value around it). */
function printableCode(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (code === 13) return 'CR';
  if (code === 10) return 'LF';
  if (code === 0) return 'NUL';
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Where a value came from, for error messages: "--timeout", "UPVEST_TIMEOUT" or "timeout in file". */
export type Source = { kind: 'flag' | 'env' | 'file' | 'default'; name: string };

export function describeSetting(setting: Setting): string {
  const ways = [setting.flag, setting.env, `"${setting.key}" in the config file`].filter(Boolean);
  return ways.join(', ');
}

/** Parse one raw value (string from flag/env, or JSON value from the file) for a setting. */
export function parseSetting(setting: Setting, raw: unknown, source: Source): unknown {
  const fail = (why: string) =>
    new ConfigInvalidError(`${source.name}: ${why}`, {
      hint: `${setting.description} Set it with ${describeSetting(setting)}.`,
      details: { setting: setting.key, source: source.kind },
    });
  const shown = setting.kind === 'secret' ? '(value hidden)' : JSON.stringify(raw);
  switch (setting.kind) {
    case 'string':
    case 'secret': {
      if (typeof raw !== 'string' || raw.trim() === '') throw fail(`expected a non-empty string, got ${shown}`);
      if (setting.choices && !setting.choices.includes(raw)) throw fail(`expected one of ${setting.choices.join(', ')}, got ${shown}`);
      if (setting.header) {
        // Named here, at once: sent later, such a value fails every request of the run.
        const problem = /[^\t\x20-\x7e\x80-\xff]/.exec(raw);
        if (problem)
          throw fail(
            `the value cannot be sent in an HTTP header: it holds ${printableCode(problem[0])} (control characters are not allowed)`,
          );
      }
      return raw;
    }
    case 'url': {
      if (typeof raw !== 'string') throw fail(`expected a URL, got ${shown}`);
      // Never echo credentials a URL carries, even in the message refusing them.
      const safe = JSON.stringify(raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1[REDACTED]@'));
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw fail(`${safe} is not a URL (expected e.g. https://sandbox.upvest.co)`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail(`${safe} must be an http or https URL`);
      if (url.username || url.password) throw fail('the URL must not carry credentials; use --client-id and UPVEST_CLIENT_SECRET');
      if (url.search || url.hash) throw fail(`${safe} must be a base URL without query or fragment`);
      return url.toString().replace(/\/$/, '');
    }
    case 'uuid': {
      if (typeof raw !== 'string' || !UUID_RE.test(raw)) throw fail(`expected a UUID, got ${shown}`);
      return raw.toLowerCase();
    }
    case 'integer':
    case 'number': {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
      if (!Number.isFinite(value)) throw fail(`expected a number, got ${shown}`);
      if (setting.kind === 'integer' && !Number.isInteger(value)) throw fail(`expected a whole number, got ${shown}`);
      if (setting.min !== undefined && value < setting.min) throw fail(`must be at least ${setting.min}, got ${value}`);
      if (setting.max !== undefined && value > setting.max) throw fail(`must be at most ${setting.max}, got ${value}`);
      return value;
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string' && /^(1|true|yes|on)$/i.test(raw)) return true;
      if (typeof raw === 'string' && /^(0|false|no|off)$/i.test(raw)) return false;
      throw fail(`expected true or false, got ${shown}`);
    }
    case 'list': {
      const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
      if (!items) throw fail(`expected a list, got ${shown}`);
      const values = items.map((item) => String(item).trim()).filter((item) => item !== '');
      for (const value of values) {
        if (setting.choices && !setting.choices.includes(value))
          throw fail(`${JSON.stringify(value)} is not one of ${setting.choices.join(', ')}`);
        if (setting.valueName === 'UUID' && !UUID_RE.test(value)) throw fail(`expected UUIDs, got ${JSON.stringify(value)}`);
      }
      return values;
    }
  }
}
