/**
 * The `upvest-conformance` command line. Each command lives in src/cli/commands/ and declares
 * its options with descriptions; exit codes are 0 (conformant), 1 (violations), 2 (usage,
 * configuration or an unreachable target).
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { EXIT, processOutput, reportError, type Output } from './output.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import type { ProgressStream } from './progress.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export interface CommandContext {
  output: Output;
  /** Set by a command's action: the process exit code. */
  setExitCode(code: number): void;
  /** Resolves when a long-running command (mock, listen) should stop; tests abort it. */
  signal?: AbortSignal;
  /** Where `run` tells its progress (stderr when the output is the process's); none: no progress. */
  progress?: ProgressStream;
}

type RegisterCommands = (program: Command, context: CommandContext) => void;

/**
 * Each command's module, in the order --help lists them, loaded only when needed: `run` loads
 * the engine, `mock` the mock, `--version` none of them (start-up is most of a short command).
 */
const COMMAND_MODULES: { names: string[]; load: () => Promise<RegisterCommands> }[] = [
  { names: ['run'], load: async () => (await import('./commands/run.js')).registerRunCommand },
  { names: ['mock'], load: async () => (await import('./commands/mock.js')).registerMockCommand },
  { names: ['replay', 'listen'], load: async () => (await import('./commands/webhooks.js')).registerWebhookCommands },
  { names: ['report'], load: async () => (await import('./commands/report.js')).registerReportCommand },
];

/** The modules `argv` needs: its command's; none for a bare --version; every one otherwise (help, an unknown name). */
function modulesFor(argv: readonly string[] | undefined): typeof COMMAND_MODULES {
  if (!argv) return COMMAND_MODULES;
  // The program's own options take no value: the first word that is not an option names the command.
  const name = argv.find((arg) => !arg.startsWith('-'));
  if (name === undefined) {
    const versionOnly = argv.some((arg) => arg === '-v' || arg === '--version') && !argv.some((arg) => arg === '-h' || arg === '--help');
    return versionOnly ? [] : COMMAND_MODULES;
  }
  const own = COMMAND_MODULES.filter((m) => m.names.includes(name));
  return own.length > 0 ? own : COMMAND_MODULES;
}

/** The program with the commands `argv` needs (all of them without `argv`). */
export async function buildProgram(context: CommandContext, argv?: readonly string[]): Promise<Command> {
  const program = new Command('upvest-conformance')
    .description(
      'Contract tests and conformance checks for the Upvest Investment API, a bundled mock, webhook tools and compliance reports.',
    )
    .version(pkg.version, '-v, --version', 'Print the version.')
    .helpOption('-h, --help', 'Show help for a command.')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    .configureOutput({
      writeOut: (text) => context.output.out(text.replace(/\n$/, '')),
      writeErr: (text) => context.output.err(text.replace(/\n$/, '')),
    })
    .exitOverride();
  const registers = await Promise.all(modulesFor(argv).map((m) => m.load()));
  for (const register of registers) register(program, context);
  return program;
}

export async function main(
  argv: string[],
  output: Output = processOutput,
  signal?: AbortSignal,
  progress: ProgressStream | undefined = output === processOutput ? process.stderr : undefined,
): Promise<number> {
  let exitCode: number = EXIT.conformant;
  const context: CommandContext = { output, setExitCode: (code) => (exitCode = code), signal, progress };
  try {
    const program = await buildProgram(context, argv);
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help')
        return EXIT.conformant;
      return EXIT.usage;
    }
    return reportError(error, output);
  }
}
