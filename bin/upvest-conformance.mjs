#!/usr/bin/env node
// Entry point of the `upvest-conformance` command: the CLI is TypeScript, run through tsx.
import { register } from 'tsx/esm/api';

// A reader that went away (`upvest-conformance run --help | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
