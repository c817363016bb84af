/** `upvest-conformance replay` and `upvest-conformance listen`: the webhook side of an integration. */
import { type Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import { fieldValueProblem } from '../../client/http-fields.js';
import { secrets } from '../../client/redact.js';
import {
  generateSigningKey,
  loadSigningKey,
  SIGNING_LIBRARIES,
  type SignatureVersion,
  type SigningKey,
  type SigningLibrary,
} from '../../signing/index.js';
import { manifest } from '../../spec/manifest.js';
import { assertReportDirWritable, REPORT_FORMATS } from '../../../reporters/index.js';
import { replayConformance, type ReplayEvent } from '../../engine/webhook-consumer.js';
import { buildCorpus } from '../../webhooks/corpus.js';
import { assertListenOptions, listen, loadJwks, readCassette } from '../../webhooks/listen.js';
import { serveJwks } from '../../webhooks/jwks-server.js';
import type { CommandContext } from '../main.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import { RunProgress } from '../progress.js';
import { reportResult } from '../report-result.js';
import { collect, integerOption, waitForStop } from '../options.js';

function urlOption(flag: string) {
  return (value: string): string => {
    try {
      const url = new URL(value);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
      if (url.username || url.password) throw new UsageError(`${flag}: the URL must not carry credentials (user:password@)`);
      return url.toString();
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`${flag} ${secrets.scrub(value)} is not an http(s) URL`);
    }
  };
}

function checkTypes(types: string[]): void {
  const unknown = types.filter((t) => !manifest.eventTypes.some((e) => e.type === t));
  if (unknown.length > 0)
    throw new UsageError(`unknown event type ${unknown.join(', ')}`, {
      hint: `Documented types: ${manifest.eventTypes.map((e) => e.type).join(', ')}.`,
    });
}

export function registerWebhookCommands(program: Command, context: CommandContext): void {
  program
    .command('replay')
    .description('Replay webhook events (the corpus, some types of it, or a cassette) to a consumer and report how it answers.')
    .addOption(new Option('--to <url>', 'The consumer endpoint to deliver to.').makeOptionMandatory().argParser(urlOption('--to')))
    .addOption(new Option('--type <type>', 'Replay only events of this type (repeatable or comma-separated).').argParser(collect))
    .addOption(new Option('--cassette <file>', 'Replay the events of a cassette recorded by `listen` instead of the corpus.'))
    .addOption(
      new Option('--mode <mode>', 'bundled: {"payload": [events]} per request, as Upvest delivers; single: one event per request.')
        .choices(['bundled', 'single'])
        .default('bundled'),
    )
    .addOption(new Option('--batch <n>', 'Events per bundled delivery.').default(10).argParser(integerOption('--batch', 1, 1000)))
    .addOption(new Option('--no-sign', 'Send deliveries unsigned.'))
    .addOption(
      new Option(
        '--signing-key <path|pem>',
        'Key to sign deliveries with (default: a P-521 key generated for the run) [env UPVEST_WEBHOOK_SIGNING_KEY].',
      ),
    )
    .addOption(new Option('--signing-key-id <id>', 'kid of --signing-key in the served JWKS.'))
    .addOption(
      new Option(
        '--signature-version <version>',
        'HTTP message signature draft of the deliveries: 6 (what Upvest signs webhooks with, no upvest-signature-version header) or 15.',
      )
        .choices(['6', '15'])
        .default('6'),
    )
    .addOption(
      new Option(
        '--signing-library <library>',
        "What makes P-521 signatures: auto (the system's OpenSSL when it is usable, else node:crypto), node, or system (or an error).",
      )
        .choices(SIGNING_LIBRARIES)
        .env('UPVEST_SIGNING_LIBRARY')
        .default('auto'),
    )
    .addOption(
      new Option('--jwks-port <n>', 'Port to serve the public keys on, as Upvest serves /auth/verify_keys (0: any free port).')
        .default(0)
        .argParser(integerOption('--jwks-port', 0, 65535)),
    )
    .addOption(
      new Option(
        '--expect-signature-verification',
        'Fail when the consumer accepts a missing, forged or expired signature (otherwise reported as warnings).',
      ),
    )
    .addOption(
      new Option('--fail-on <severity>', 'What fails the gate: error (documented requirements) or warning (every finding).')
        .choices(['error', 'warning'])
        .default('error'),
    )
    .addOption(new Option('--timeout <seconds>', 'Per-delivery timeout.').default(10).argParser(integerOption('--timeout', 1, 600)))
    .addOption(new Option('--report-dir <dir>', 'Folder the reports are written to.').default('reports'))
    .addOption(new Option('--reporter <list>', 'Reports to write: json, junit, md, html.').argParser(collect))
    .addOption(new Option('--quiet', 'No progress on stderr (a live line on a terminal, a line every 5 s of a long replay in a log).'))
    .addHelpText('after', EXIT_CODES_HELP)
    .action(
      async (options: {
        to: string;
        quiet?: boolean;
        type?: string[];
        cassette?: string;
        mode: 'bundled' | 'single';
        batch: number;
        sign: boolean;
        signingKey?: string;
        signingKeyId?: string;
        signatureVersion: SignatureVersion;
        signingLibrary: SigningLibrary;
        jwksPort: number;
        expectSignatureVerification?: boolean;
        failOn: 'error' | 'warning';
        timeout: number;
        reportDir: string;
        reporter?: string[];
      }) => {
        checkTypes(options.type ?? []);
        assertReportDirWritable(options.reportDir);
        const keyIdProblem = options.signingKeyId === undefined ? undefined : fieldValueProblem(options.signingKeyId);
        if (keyIdProblem) throw new UsageError(`--signing-key-id cannot be sent in a signature header: ${keyIdProblem}`);
        let key: SigningKey | undefined;
        const keyInput = options.signingKey ?? process.env.UPVEST_WEBHOOK_SIGNING_KEY;
        if (options.sign)
          key = keyInput
            ? loadSigningKey({
                key: keyInput,
                keyId: options.signingKeyId ?? 'replay',
                passphrase: process.env.UPVEST_WEBHOOK_SIGNING_KEY_PASSPHRASE,
                library: options.signingLibrary,
              })
            : generateSigningKey('ecdsa-p521-sha512', `replay-${Date.now().toString(36)}`, 'der', options.signingLibrary);
        const jwks = key ? await serveJwks([key], options.jwksPort) : undefined;
        const progress = context.progress && !options.quiet ? new RunProgress(context.progress) : undefined;
        if (jwks) context.output.out(`Public keys for the consumer (JWKS, as /auth/verify_keys): ${jwks.url}`);
        try {
          secrets.add(key?.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
          const events = (
            options.cassette
              ? readCassette(options.cassette)
              : buildCorpus()
                  .filter((e) => !options.type?.length || options.type.includes(e.type))
                  .map((e) => e.event)
          ) as ReplayEvent[];
          const result = await replayConformance({
            handlers: progress ? [progress.handler] : [],
            to: options.to,
            events,
            mode: options.mode,
            maxBatch: options.batch,
            signingKey: key,
            signatureVersion: options.signatureVersion,
            signing: Boolean(key),
            failOn: options.failOn,
            expectSignatureVerification: Boolean(options.expectSignatureVerification),
            timeoutMs: options.timeout * 1000,
          });
          progress?.stop();
          const reported = reportResult(
            result,
            { reportDir: options.reportDir, formats: options.reporter ?? REPORT_FORMATS },
            context.output,
          );
          context.setExitCode(reported.exitCode);
        } finally {
          progress?.stop();
          await jwks?.close();
        }
      },
    );

  program
    .command('listen')
    .description(
      'Receive live webhook deliveries: verify signatures, validate every event, de-duplicate, print a line per event, record a cassette.',
    )
    .addOption(new Option('--port <n>', 'Port to listen on.').default(8787).argParser(integerOption('--port', 0, 65535)))
    .addOption(new Option('--host <address>', 'Address to listen on.').default('127.0.0.1'))
    .addOption(new Option('--path <path>', 'Path deliveries are posted to.').default('/webhooks'))
    .addOption(
      new Option('--jwks-url <url>', 'Verify signatures with the keys at this JWKS URL (e.g. a mock’s /auth/verify_keys).').argParser(
        urlOption('--jwks-url'),
      ),
    )
    .addOption(
      new Option(
        '--jwks-file <file>',
        'Verify signatures with the keys of this JWKS file (e.g. downloaded from Upvest’s /auth/verify_keys).',
      ),
    )
    .addOption(
      new Option('--reject-unverified', 'Answer 401 to deliveries whose signature does not verify (default: acknowledge and report).'),
    )
    .addOption(
      new Option(
        '--signature-tolerance <seconds>',
        "Seconds a signature's created may be ahead of this clock and its expires behind it. Both draft-06 (Upvest's webhooks) " +
          'and draft-15 signatures are verified.',
      )
        .default(30)
        .argParser(integerOption('--signature-tolerance', 0, 86_400)),
    )
    .addOption(
      new Option('--cassette <file>', 'Append every delivery to this NDJSON file (secrets redacted); `replay --cassette` sends it again.'),
    )
    .addOption(
      new Option(
        '--expect <types>',
        'Event types that must all arrive valid: then exit 0; exit 1 on an invalid event; exit 2 on --timeout.',
      ).argParser(collect),
    )
    .addOption(
      new Option('--timeout <seconds>', 'With --expect: give up after this long (exit 2).').argParser(
        integerOption('--timeout', 1, 86_400),
      ),
    )
    .addHelpText('after', EXIT_CODES_HELP)
    .action(
      async (options: {
        port: number;
        host: string;
        path: string;
        jwksUrl?: string;
        jwksFile?: string;
        rejectUnverified?: boolean;
        signatureTolerance: number;
        cassette?: string;
        expect?: string[];
        timeout?: number;
      }) => {
        checkTypes(options.expect ?? []);
        if (options.expect && !options.timeout) throw new UsageError('--expect needs --timeout, so that a CI job cannot wait forever');
        if (options.jwksUrl && options.jwksFile) throw new UsageError('give --jwks-url or --jwks-file, not both');
        assertListenOptions({
          cassette: options.cassette,
          rejectUnverified: options.rejectUnverified,
          keys: Boolean(options.jwksUrl || options.jwksFile),
        });
        const keys = options.jwksUrl || options.jwksFile ? await loadJwks({ url: options.jwksUrl, file: options.jwksFile }) : undefined;
        const stop = new AbortController();
        if (!options.expect) void waitForStop(context.signal).then(() => stop.abort());
        else context.signal?.addEventListener('abort', () => stop.abort(), { once: true });
        const result = await listen({
          port: options.port,
          host: options.host,
          path: options.path,
          keys,
          cassette: options.cassette,
          expect: options.expect,
          timeoutMs: options.timeout ? options.timeout * 1000 : undefined,
          rejectUnverified: options.rejectUnverified,
          signatureToleranceSeconds: options.signatureTolerance,
          print: (line) => context.output.out(line),
          onListening: (url) =>
            context.output.out(
              `listening for webhook deliveries on ${url}` +
                (keys ? ' (signatures verified)' : ' (signatures not verified: give --jwks-url or --jwks-file)') +
                (options.expect ? `; waiting for ${options.expect.join(', ')}` : '; Ctrl+C to stop'),
            ),
          signal: stop.signal,
        });
        context.output.out(
          `${result.deliveries} deliveries, ${result.events} events (${result.duplicates} duplicates), ${result.invalid} invalid; ` +
            `types: ${result.typesSeen.join(', ') || 'none'}`,
        );
        context.setExitCode(result.exitCode);
      },
    );
}
