#!/usr/bin/env node
// Entry point of the `upvest-conformance` command: the compiled CLI in dist/ (`npm run build`).
import { existsSync } from 'node:fs';

// A reader that went away (`upvest-conformance run --help | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    'error: dist/cli.js is missing: this checkout of upvest-conformance is not built.\n' +
      '  Run `npm run build` (npm ci runs it too), then run the command again.\n',
  );
  process.exit(2);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
