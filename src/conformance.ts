/**
 * A conformance session: settings resolved (options > environment > config file > defaults),
 * the target described (the bundled mock when no base URL is given), the engine opened and its
 * plan known before anything is sent. The CLI's `run`, the programmatic `runConformance` and
 * the vitest adapter are all sessions.
 */
import { existsSync } from 'node:fs';
import { loadRunConfig, type RunConfig } from './config/load.js';
import type { RunSettingKey } from './config/settings.js';
import { readBaseline, type Baseline } from './engine/baseline.js';
import type { RunEventHandler } from './engine/events.js';
import type { RunResult } from './engine/result.js';
import { ConformanceRun, type EngineOptions } from './engine/run.js';
import type { TargetDescription } from './engine/target.js';
import { ConfigInvalidError } from './errors.js';
import { startEmbeddedMock, type EmbeddedTarget } from './mock/embedded.js';
import { loadSigningKey } from './signing/index.js';

/** Settings by the keys of the config file (`baseUrl`, `clientId`, `accountIds`, …). */
export type ConformanceSettings = Partial<Record<RunSettingKey, unknown>>;

export interface ConformanceOptions {
  /** Settings that outrank the environment and the config file (as CLI flags do). */
  settings?: ConformanceSettings;
  /** A config file; default upvest-conformance.config.* in `cwd`. */
  configFile?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Notes for the user (a missing account id, a target that did not answer the preflight). */
  warn?: (line: string) => void;
  engine?: EngineOptions;
}

export interface ConformanceSession {
  readonly config: RunConfig;
  readonly target: TargetDescription;
  readonly baseline?: Baseline;
  readonly engine: ConformanceRun;
  /** The first round (is the target usable with this configuration?), then every planned check; handlers see the events. */
  execute(handlers?: RunEventHandler[]): Promise<RunResult>;
  close(): Promise<void>;
}

function readBaselineFor(config: RunConfig): Baseline | undefined {
  if (!config.baseline) {
    if (config.updateBaseline) throw new ConfigInvalidError('--update-baseline needs --baseline FILE: the file to write');
    return undefined;
  }
  if (config.updateBaseline && !existsSync(config.baseline)) return { file: config.baseline, entries: [] };
  return readBaseline(config.baseline);
}

export function describeTarget(config: RunConfig, embedded: EmbeddedTarget | undefined, baseline: Baseline | undefined): TargetDescription {
  const common = {
    timeoutMs: config.timeout * 1000,
    deadlineMs: config.deadline * 1000,
    concurrency: config.concurrency,
    maxResponseBytes: config.maxResponseBytes,
    pageLimit: config.pageLimit,
    maxPages: config.maxPages,
    minEnumCoverage: config.minEnumCoverage,
    only: config.only,
    skip: config.skip,
    bail: config.bail,
    baseline,
    failOn: config.failOn,
    depth: config.depth,
    signatureVersion: config.signatureVersion,
    signingLibrary: config.signingLibrary,
    ...(config.expectSignatureVerification !== undefined ? { expectSignatureVerification: config.expectSignatureVerification } : {}),
  };
  if (embedded) {
    return {
      ...common,
      baseUrl: embedded.baseUrl,
      clientId: embedded.clientId,
      clientSecret: embedded.clientSecret,
      signingKey: config.sign ? embedded.signingKeyPem : undefined,
      signingKeyId: embedded.signingKeyId,
      accountIds: config.accountIds.length > 0 ? config.accountIds : embedded.accountIds,
      executionId: config.executionId ?? embedded.executionId,
      triggerAccountIds: config.triggerAccountIds.length > 0 ? config.triggerAccountIds : embedded.triggerAccountIds,
      embeddedMock: true,
      mockControl: true,
      // The bundled mock verifies every signature: accepting a forged one would be its fault.
      expectSignatureVerification: config.expectSignatureVerification ?? true,
    };
  }
  return {
    ...common,
    baseUrl: config.baseUrl as string,
    clientId: config.clientId as string,
    clientSecret: config.clientSecret ?? '',
    accessToken: config.accessToken,
    signingKey: config.sign ? config.signingKey : undefined,
    signingKeyId: config.signingKeyId,
    signingKeyPassphrase: config.signingKeyPassphrase,
    accountIds: config.accountIds,
    executionId: config.executionId,
    triggerAccountIds: config.triggerAccountIds,
    embeddedMock: false,
    mockControl: config.mockControl,
  };
}

export async function openConformance(options: ConformanceOptions = {}): Promise<ConformanceSession> {
  const warn = options.warn ?? (() => undefined);
  const { config } = await loadRunConfig({ flags: options.settings, configFile: options.configFile, env: options.env, cwd: options.cwd });
  const baseline = readBaselineFor(config);
  // Load the key now: a bad key is a configuration error before anything runs.
  const signingKey =
    config.signingKey && config.sign
      ? loadSigningKey({
          key: config.signingKey,
          keyId: config.signingKeyId ?? 'default',
          passphrase: config.signingKeyPassphrase,
          library: config.signingLibrary,
        })
      : undefined;
  const embedded = config.baseUrl ? undefined : await startEmbeddedMock(signingKey);
  let engine: ConformanceRun;
  let target: TargetDescription;
  try {
    target = describeTarget(config, embedded, baseline);
    // A bad name in --only/--skip is a usage error here, before anything is sent.
    engine = ConformanceRun.open(target, options.engine);
  } catch (error) {
    await embedded?.mock.close();
    throw error;
  }
  if (!embedded && target.accountIds.length === 0 && !config.skip.some((s) => /valuation/i.test(s))) {
    warn('note: no --account-id given; the valuation operations will be skipped.');
  }
  return {
    config,
    target,
    baseline,
    engine,
    execute: (handlers = []) => engine.run(handlers),
    close: async () => {
      await engine.close();
      await embedded?.mock.close();
    },
  };
}

/**
 * Run every selected check against a target and return the result; writes no file. Without a
 * base URL (in `settings`, UPVEST_BASE_URL or the config file) the bundled mock is the target.
 */
export async function runConformance(options: ConformanceOptions & { handlers?: RunEventHandler[] } = {}): Promise<RunResult> {
  const session = await openConformance(options);
  try {
    return await session.execute(options.handlers);
  } finally {
    await session.close();
  }
}
