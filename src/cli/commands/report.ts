/** `upvest-conformance report diff OLD NEW`: what changed between two runs' report.json files. */
import { type Command, Option } from 'commander';
import { diffReports, readReport, renderDiff } from '../../../reporters/diff.js';
import type { CommandContext } from '../main.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import { integerOption } from '../options.js';
import { EXIT } from '../output.js';

export function registerReportCommand(program: Command, context: CommandContext): void {
  const report = program.command('report').description('Work with the report.json files written by `run`.');
  report
    .command('diff')
    .description(
      'Compare two report.json files: failures that are new, fixed or no longer checked (identified by check, operation and ' +
        'message), enum coverage and statuses seen per operation.',
    )
    .argument('<old>', 'report.json of the earlier run (the base, e.g. of the main branch).')
    .argument('<new>', 'report.json of the later run.')
    .addOption(
      new Option('--limit <n>', 'Failures listed per section; 0 lists all.').default(50).argParser(integerOption('--limit', 0, 1_000_000)),
    )
    .addHelpText(
      'after',
      '\nreport diff exits 1 when the new report has a failure the old one does not, 0 otherwise,\n' +
        `and 2 when a file cannot be read or is not a report.json (the message names the file).\n${EXIT_CODES_HELP}`,
    )
    .action((oldFile: string, newFile: string, options: { limit: number }) => {
      const diff = diffReports(readReport(oldFile), readReport(newFile));
      for (const line of renderDiff(diff, { old: oldFile, new: newFile }, options.limit)) context.output.out(line);
      context.setExitCode(diff.newFailures.length > 0 ? EXIT.violations : EXIT.conformant);
    });
}
