/**
 * The `upvest-conformance` command line. Each command lives in src/cli/commands/ and declares
 * its options with descriptions; exit codes are 0 (conformant), 1 (violations), 2 (usage,
 * configuration or an unreachable target).
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { EXIT, processOutput, reportError, type Output } from './output.js';
import { registerMockCommand } from './commands/mock.js';
import { registerRunCommand } from './commands/run.js';
import { registerWebhookCommands } from './commands/webhooks.js';
import { registerReportCommand } from './commands/report.js';
import { EXIT_CODES_HELP } from './exit-codes.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export interface CommandContext {
  output: Output;
  /** Set by a command's action: the process exit code. */
  setExitCode(code: number): void;
  /** Resolves when a long-running command (mock, listen) should stop; tests abort it. */
  signal?: AbortSignal;
}

export function buildProgram(context: CommandContext): Command {
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
  registerRunCommand(program, context);
  registerMockCommand(program, context);
  registerWebhookCommands(program, context);
  registerReportCommand(program, context);
  return program;
}

export async function main(argv: string[], output: Output = processOutput, signal?: AbortSignal): Promise<number> {
  let exitCode: number = EXIT.conformant;
  const context: CommandContext = { output, setExitCode: (code) => (exitCode = code), signal };
  const program = buildProgram(context);
  try {
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
