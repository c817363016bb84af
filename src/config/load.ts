/**
 * Resolve the run configuration: CLI flags > environment variables > config file > defaults,
 * validated into one object. Every problem is a ConfigMissingError / ConfigInvalidError /
 * ConfigFileError naming the setting, where it was set and how to set it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigFileError, ConfigInvalidError, ConfigMissingError } from '../errors.js';
import { secrets } from '../client/redact.js';
import type { SigningLibrary } from '../signing/system-openssl.js';
import { RUN_SETTINGS, describeSetting, parseSetting, type RunSettingKey, type Setting, type Source } from './settings.js';

export interface RunConfig {
  baseUrl?: string;
  clientId?: string;
  clientSecret?: string;
  accessToken?: string;
  signingKey?: string;
  signingKeyId?: string;
  signingKeyPassphrase?: string;
  signatureVersion: '15' | '6';
  signingLibrary: SigningLibrary;
  sign: boolean;
  accountIds: string[];
  executionId?: string;
  triggerAccountIds: string[];
  only: string[];
  skip: string[];
  bail: boolean;
  timeout: number;
  deadline: number;
  concurrency: number;
  maxResponseBytes: number;
  baseline?: string;
  updateBaseline: boolean;
  reportDir: string;
  reporters: ('json' | 'junit' | 'md' | 'html')[];
  minEnumCoverage: number;
  pageLimit: number;
  maxPages: number;
  mockControl: boolean;
  failOn: 'error' | 'warning';
  depth: 'quick' | 'full';
  /** Unset: decided by the target (on for *.upvest.co). */
  expectSignatureVerification?: boolean;
  /** The config file that was read, if any. */
  configFile?: string;
}

/** Looked up in this order in the working directory when no --config is given; the first found is read. */
export const CONFIG_FILE_NAMES = [
  'upvest-conformance.config.json',
  'upvest-conformance.config.ts',
  'upvest-conformance.config.mts',
  'upvest-conformance.config.cts',
  'upvest-conformance.config.mjs',
  'upvest-conformance.config.cjs',
  'upvest-conformance.config.js',
];

const SCRIPT_CONFIG = /\.(ts|mts|cts|js|mjs|cjs)$/;
const TYPESCRIPT_CONFIG = /\.(ts|mts|cts)$/;

/**
 * A config module's default export (or module.exports). JavaScript goes through Node's own
 * import: .mjs/.cjs mean what they say in any project, .js follows the nearest package.json.
 * TypeScript goes through jiti, which compiles it for this one import whatever the project's
 * module kind (Node 20 cannot import .ts, and an `export default` in a CommonJS project is
 * what tsx failed on), without writing a cache into the user's project.
 */
async function importConfigModule(path: string): Promise<unknown> {
  if (!TYPESCRIPT_CONFIG.test(path)) {
    const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
    return module.default;
  }
  const { createJiti } = await import('jiti');
  // No default interop: a module with named exports only is told to export its settings as default.
  const jiti = createJiti(pathToFileURL(path).href, { fsCache: false, moduleCache: false, interopDefault: false });
  const module = (await jiti.import(path)) as { default?: unknown };
  // A .cts file may assign module.exports, as a .cjs one does.
  return module.default === undefined && path.endsWith('.cts') ? module : module.default;
}

export interface LoadOptions {
  /** Values from the CLI, keyed by setting key; undefined means "not given". */
  flags?: Partial<Record<RunSettingKey, unknown>>;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** --config FILE; otherwise the default names are looked up in cwd. */
  configFile?: string;
}

async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  if (!existsSync(path)) throw new ConfigFileError(`Config file ${path} does not exist`);
  let value: unknown;
  if (path.endsWith('.json')) {
    try {
      value = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ConfigFileError(`Config file ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  } else if (SCRIPT_CONFIG.test(path)) {
    try {
      value = await importConfigModule(path);
    } catch (error) {
      throw new ConfigFileError(`Config file ${path} cannot be loaded: ${(error as Error).message}`, { cause: error });
    }
  } else {
    throw new ConfigFileError(`Config file ${path} must end in .json or .ts (or .mts, .cts, .mjs, .cjs, .js)`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigFileError(
      `Config file ${path} must hold an object of settings${path.endsWith('.json') ? '' : ' as its default export'}`,
    );
  }
  const known = new Set<string>(RUN_SETTINGS.map((s) => s.key));
  const unknown = Object.keys(value).filter((key) => !known.has(key) && key !== '$schema');
  if (unknown.length > 0) {
    throw new ConfigFileError(`Config file ${path} has unknown settings: ${unknown.join(', ')}`, {
      hint: `Known settings: ${[...known].join(', ')}.`,
    });
  }
  return value as Record<string, unknown>;
}

export async function loadRunConfig(
  options: LoadOptions = {},
): Promise<{ config: RunConfig; sources: Partial<Record<RunSettingKey, Source>> }> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  let configFile: string | undefined;
  if (options.configFile) configFile = isAbsolute(options.configFile) ? options.configFile : resolve(cwd, options.configFile);
  else configFile = CONFIG_FILE_NAMES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
  const file = configFile ? await readConfigFile(configFile) : {};

  const values: Record<string, unknown> = {};
  const sources: Partial<Record<RunSettingKey, Source>> = {};
  for (const setting of RUN_SETTINGS as readonly Setting<RunSettingKey>[]) {
    const flagValue = options.flags?.[setting.key];
    const envValue = setting.env ? env[setting.env] : undefined;
    let raw: unknown;
    let source: Source;
    if (flagValue !== undefined && !(Array.isArray(flagValue) && flagValue.length === 0)) {
      raw = flagValue;
      source = { kind: 'flag', name: setting.flag ?? setting.key };
    } else if (envValue !== undefined && envValue !== '') {
      raw = envValue;
      source = { kind: 'env', name: setting.env as string };
    } else if (file[setting.key] !== undefined) {
      raw = file[setting.key];
      source = { kind: 'file', name: `"${setting.key}" in ${configFile}` };
    } else {
      if (setting.default !== undefined) values[setting.key] = structuredClone(setting.default);
      continue;
    }
    let parsed = parseSetting(setting, raw, source);
    // UPVEST_NO_SIGN=1 means sign = false; the flag arrives from the CLI already as sign = false.
    if (setting.key === 'sign' && source.kind === 'env') parsed = !parsed;
    values[setting.key] = parsed;
    sources[setting.key] = source;
  }
  const config = { ...values, configFile } as RunConfig;
  for (const value of [config.clientSecret, config.signingKeyPassphrase, config.accessToken]) secrets.add(value);
  if (config.signingKey?.includes('-----BEGIN')) secrets.add(config.signingKey);
  validateRunConfig(config, sources);
  return { config, sources };
}

function settingOf(key: RunSettingKey): Setting {
  return RUN_SETTINGS.find((s) => s.key === key) as Setting;
}

function missing(key: RunSettingKey, why: string): ConfigMissingError {
  const setting = settingOf(key);
  return new ConfigMissingError(`${setting.flag ?? setting.env ?? setting.key} is required ${why}`, {
    hint: `Set it with ${describeSetting(setting)}. ${setting.description}`,
    details: { setting: key },
  });
}

/** Rules across settings. */
export function validateRunConfig(config: RunConfig, sources: Partial<Record<RunSettingKey, Source>> = {}): void {
  if (config.baseUrl) {
    if (!config.clientId) throw missing('clientId', `when a target is given with --base-url (${config.baseUrl})`);
    if (!config.clientSecret && !config.accessToken)
      throw missing('clientSecret', `when a target is given with --base-url (${config.baseUrl}), unless --access-token is`);
  }
  if (config.signingKey && !config.signingKeyId) throw missing('signingKeyId', 'with a signing key');
  if (config.signingKeyId && !config.signingKey)
    throw missing('signingKey', `with a signing key id (${sources.signingKeyId?.name ?? 'signingKeyId'} is set)`);
  if (config.signingKeyPassphrase && !config.signingKey) {
    throw new ConfigInvalidError('UPVEST_SIGNING_KEY_PASSPHRASE is set but no signing key is', {
      hint: 'Set UPVEST_SIGNING_KEY (path or PEM) too, or unset the passphrase.',
    });
  }
}
