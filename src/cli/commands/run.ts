/** `upvest-conformance run`: every check against a target (default: the bundled mock), then the reports. */
import { type Command, Option } from 'commander';
import type { RunConfig } from '../../config/load.js';
import { RUN_SETTINGS, type RunSettingKey } from '../../config/settings.js';
import { openConformance } from '../../conformance.js';
import { assertBaselineWritable, type Baseline, updatedBaseline, writeBaseline } from '../../engine/baseline.js';
import { assertReportDirWritable } from '../../../reporters/index.js';
import { applyBaselineToResult, outcomesOfResult, type RunResult } from '../../engine/result.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import type { CommandContext } from '../main.js';
import { collect } from '../options.js';
import { RunProgress } from '../progress.js';
import { reportResult } from '../report-result.js';

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
  command.addOption(new Option('--quiet', 'No progress on stderr (a live line on a terminal, a line every 5 s of a long run in a log).'));
  command.addOption(
    new Option(
      '--config <file>',
      'Config file (.json, .ts, .mjs, .cjs, .js); default upvest-conformance.config.json, .ts, … in the working directory.',
    ),
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

export function registerRunCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('run')
    .description('Run every conformance check against a target (default: the bundled mock) and write the compliance reports.')
    .addHelpText('after', `\nWithout --base-url (or UPVEST_BASE_URL), the bundled mock is started and tested.\n${EXIT_CODES_HELP}`);
  addRunOptions(command).action(async (options: Record<string, unknown>) => {
    const session = await openConformance({
      settings: flagsOf(options),
      configFile: options.config as string | undefined,
      warn: (line) => context.output.err(line),
    });
    const progress = context.progress && !options.quiet ? new RunProgress(context.progress) : undefined;
    try {
      const { config } = session;
      assertReportDirWritable(config.reportDir);
      if (config.updateBaseline && config.baseline) assertBaselineWritable(config.baseline);
      const result = await session.execute(progress ? [progress.handler] : []);
      progress?.stop();
      context.setExitCode(finish(result, config, session.baseline, context).exitCode);
    } finally {
      progress?.stop();
      await session.close();
    }
  });
}

/** After the run, with --update-baseline: every failure becomes a listed deviation; then the summary and the reports. */
function finish(result: RunResult, config: RunConfig, baseline: Baseline | undefined, context: CommandContext): RunResult {
  const next =
    config.updateBaseline && config.baseline
      ? updatedBaseline(baseline, outcomesOfResult(result), { warnings: config.failOn === 'warning' })
      : undefined;
  // Only gates and unusable targets still fail once every failure is listed.
  const reported = reportResult(
    next ? applyBaselineToResult(result, next) : result,
    { reportDir: config.reportDir, formats: config.reporters },
    context.output,
  );
  if (next && config.baseline) {
    writeBaseline(config.baseline, next);
    context.output.out(`wrote ${config.baseline} (${next.entries.length} entries; give each new one its reason)`);
  }
  return reported;
}
