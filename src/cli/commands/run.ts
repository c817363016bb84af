/** `upvest-conformance run`: every check against a target (default: the bundled mock), then the reports. */
import { existsSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { ConfigInvalidError, CrossOriginRedirectError, HarnessError, TokenRequestError } from '../../errors.js';
import { loadRunConfig, type RunConfig } from '../../config/load.js';
import { RUN_SETTINGS, type RunSettingKey } from '../../config/settings.js';
import { readBaseline, updatedBaseline, writeBaseline, type Baseline } from '../../engine/baseline.js';
import { createSelection } from '../../engine/selection.js';
import { prepareTarget, type TargetDescription } from '../../engine/target.js';
import { manifest } from '../../spec/manifest.js';
import { loadSigningKey } from '../../signing/index.js';
import { SummaryReporter } from '../../../reporters/summary.js';
import { reportersFor } from '../../../reporters/index.js';
import type { CommandContext } from '../main.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import { startEmbeddedMock, type EmbeddedTarget } from '../embedded-mock.js';
import { runSuites, targetRun } from '../run-suites.js';
import { collect } from '../options.js';

/** The run command's options, built from the settings table. */
export function addRunOptions(command: Command): Command {
  for (const setting of RUN_SETTINGS) {
    if (!('flag' in setting) || !setting.flag) continue;
    const placeholder = 'valueName' in setting && setting.valueName ? ` <${setting.valueName.toLowerCase()}>` : '';
    const env = 'env' in setting && setting.env ? ` [env ${setting.env}]` : '';
    // Defaults are shown, not given to commander: they must not outrank the environment or the config file.
    const fallback =
      'default' in setting && setting.kind !== 'boolean' && !(Array.isArray(setting.default) && setting.default.length === 0)
        ? ` (default: ${Array.isArray(setting.default) ? setting.default.join(',') : String(setting.default)})`
        : '';
    const option = new Option(`${setting.flag}${setting.kind === 'boolean' ? '' : placeholder}`, `${setting.description}${fallback}${env}`);
    if (setting.kind === 'list') option.argParser(collect);
    command.addOption(option);
  }
  command.addOption(
    new Option('--config <file>', 'Config file (JSON or .ts); default upvest-conformance.config.json or .ts in the working directory.'),
  );
  return command;
}

/** Commander's camel-cased option values → setting keys. */
function flagsOf(options: Record<string, unknown>): Partial<Record<RunSettingKey, unknown>> {
  const flags: Partial<Record<RunSettingKey, unknown>> = {};
  for (const setting of RUN_SETTINGS) {
    const value =
      options[
        setting.key === 'reporters'
          ? 'reporter'
          : setting.key === 'accountIds'
            ? 'accountId'
            : setting.key === 'triggerAccountIds'
              ? 'triggerAccountId'
              : setting.key
      ];
    if (value !== undefined) flags[setting.key] = value;
  }
  return flags;
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
    signatureVersion: config.signatureVersion,
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

/**
 * Before the suites: are the credentials accepted? Wrong credentials would make every check
 * fail the same way: exit 2 with one clear line instead. A target that does not answer is
 * not stopped here: the run goes on and each check records, in one line, what it could not do.
 */
export async function preflight(target: TargetDescription, warn: (line: string) => void): Promise<void> {
  const prepared = prepareTarget({ ...target, deadlineMs: Math.min(target.deadlineMs, 60_000) });
  try {
    if (!prepared.client.tokens.scoped) return; // a fixed --access-token: nothing to ask the token endpoint
    const scopes = manifest.operations.map((op) => op.scopes[0] ?? []).find((s) => s.length > 0) ?? [];
    await prepared.client.tokens.token(scopes);
  } catch (error) {
    // A refused scope is the suites' finding (per operation); bad credentials are not.
    if (error instanceof TokenRequestError && (error.details?.status === 403 || error.details?.status === 400)) return;
    if (error instanceof HarnessError && !(error instanceof TokenRequestError) && !(error instanceof CrossOriginRedirectError)) {
      warn(`target ${error.code}: ${error.message} (the run goes on; each check will say what it could not do)`);
      return;
    }
    throw error;
  } finally {
    await prepared.close();
  }
}

export function registerRunCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('run')
    .description('Run every conformance check against a target (default: the bundled mock) and write the compliance reports.')
    .addHelpText('after', `\nWithout --base-url (or UPVEST_BASE_URL), the bundled mock is started and tested.\n${EXIT_CODES_HELP}`);
  addRunOptions(command).action(async (options: Record<string, unknown>) => {
    const { config } = await loadRunConfig({ flags: flagsOf(options), configFile: options.config as string | undefined });
    // A bad name in --only/--skip is a usage error now, not a suite that collects nothing.
    createSelection(config.only, config.skip);
    const baseline = readBaselineFor(config);
    // Load the key now: a bad key is a configuration error before anything runs.
    const signingKey =
      config.signingKey && config.sign
        ? loadSigningKey({ key: config.signingKey, keyId: config.signingKeyId ?? 'default', passphrase: config.signingKeyPassphrase })
        : undefined;
    const embedded = config.baseUrl ? undefined : await startEmbeddedMock(signingKey);
    try {
      const target = describeTarget(config, embedded, baseline);
      if (!embedded && target.accountIds.length === 0 && !config.skip.some((s) => /valuation/i.test(s))) {
        context.output.err('note: no --account-id given; the valuation operations will be skipped.');
      }
      await preflight(target, (line) => context.output.err(line));
      const summary = new SummaryReporter({ reportDir: config.reportDir, log: (line) => context.output.out(line) });
      const files = reportersFor(config.reporters, { reportDir: config.reportDir, log: (line) => context.output.out(line) });
      await runSuites(targetRun(target), [...files, summary]);
      const report = summary.report;
      if (!report) throw new ConfigInvalidError('the suites produced no report');
      if (config.updateBaseline && config.baseline) {
        const next = updatedBaseline(
          baseline,
          report.operations.flatMap((o) => o.checks),
        );
        writeBaseline(config.baseline, next);
        context.output.out(`wrote ${config.baseline} (${next.entries.length} entries; give each new one its reason)`);
        // Every failure is now a listed deviation: only gates and unusable targets still fail.
        context.setExitCode(report.gates.some((g) => !g.passed) ? 1 : report.totals.errors > 0 || report.harnessErrors.length > 0 ? 2 : 0);
        return;
      }
      context.setExitCode(report.exitCode);
    } finally {
      await embedded?.mock.close();
    }
  });
}
