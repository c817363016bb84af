/** Run the installed command as a user would: a child process, its output and exit code. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/upvest-conformance.mjs', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    // A clean environment: no UPVEST_* leaking in from the developer's shell.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('UPVEST_') && !k.startsWith('VITEST')));
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`upvest-conformance ${args.join(' ')} did not finish in ${options.timeoutMs ?? 120_000} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 120_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Run a command in this process, as the bin would (the same `main`), with UPVEST_* variables
 * set for the call only: the fast path for tests that are about the command, not the process.
 */
export async function runMain(args: string[], options: { env?: Record<string, string>; signal?: AbortSignal } = {}): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.js');
  const saved = Object.fromEntries(
    Object.keys(process.env)
      .filter((k) => k.startsWith('UPVEST_'))
      .map((k) => [k, process.env[k]]),
  );
  for (const k of Object.keys(saved)) delete process.env[k];
  Object.assign(process.env, options.env);
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, options.signal);
    return { code, stdout: out.map((l) => `${l}\n`).join(''), stderr: err.map((l) => `${l}\n`).join('') };
  } finally {
    for (const k of Object.keys(options.env ?? {})) delete process.env[k];
    Object.assign(process.env, saved);
  }
}
