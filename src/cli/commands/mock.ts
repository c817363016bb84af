/** `upvest-conformance mock`: run the bundled mock until SIGINT/SIGTERM. */
import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import { AdjustableClock, ManualClock } from '../../mock/clock.js';
import { FAULTS } from '../../mock/faults.js';
import { stableUuid } from '../../mock/ids.js';
import { manifest } from '../../spec/manifest.js';
import { DEFAULT_MOCK_CLIENT_SECRET, startMock } from '../../mock/server.js';
import { publicKeyFromPem, type SignatureVersion, type VerifyingKey } from '../../signing/index.js';
import { DEFAULT_SIGNATURE_TOLERANCE_SECONDS } from '../../mock/signature-policy.js';
import type { CommandContext } from '../main.js';
import { integerOption, waitForStop } from '../options.js';

export function registerMockCommand(program: Command, context: CommandContext): void {
  program
    .command('mock')
    .description('Run the bundled mock of the slice (the default target of `run`) until interrupted.')
    .addOption(
      new Option('--port <n>', 'TCP port to listen on (0 picks a free one).').default(4010).argParser(integerOption('--port', 0, 65535)),
    )
    .addOption(new Option('--host <address>', 'Address to listen on.').default('127.0.0.1'))
    .addOption(
      new Option('--seed <n>', 'Seed of the generated data: the same seed gives the same accounts, valuations and executions.')
        .default(1)
        .argParser(integerOption('--seed', 0, 2 ** 31)),
    )
    .addOption(new Option('--client-id <uuid>', 'Client id the mock accepts (default derived from the seed, printed on start).'))
    .addOption(new Option('--client-secret <secret>', `Client secret the mock accepts (default "${DEFAULT_MOCK_CLIENT_SECRET}").`))
    .addOption(
      new Option('--signature-key <file>', 'PEM public key of the client signing key: signatures are then verified, not only required.'),
    )
    .addOption(new Option('--signature-key-id <id>', 'Key id of --signature-key.').default('client-key'))
    .addOption(
      new Option(
        '--signature-tolerance <seconds>',
        "Seconds a request signature's created may be ahead of the mock's clock and its expires behind it.",
      )
        .default(DEFAULT_SIGNATURE_TOLERANCE_SECONDS)
        .argParser(integerOption('--signature-tolerance', 0, 86_400)),
    )
    .addOption(new Option('--allow-nonce-reuse', 'Accept a signature nonce seen before (for load tools that resend captured requests).'))
    .addOption(
      new Option(
        '--signature-version <version>',
        'HTTP message signature draft of the webhook deliveries: 6 (as Upvest signs webhooks) or 15. ' +
          'Requests to the mock may use either; each must say which in upvest-signature-version.',
      )
        .choices(['6', '15'])
        .default('6'),
    )
    .addOption(
      new Option('--rate-limit <n>', 'Requests per second per client; beyond it 429 with Retry-After.').argParser(
        integerOption('--rate-limit', 1, 100_000),
      ),
    )
    .addOption(new Option('--webhook-url <url>', 'Deliver webhook events (signed, bundled, retried until 200) to this URL.'))
    .addOption(
      new Option('--webhook-mode <mode>', 'bundled: {"payload": [events]} per request; single: one event per request.')
        .choices(['bundled', 'single'])
        .default('bundled'),
    )
    .addOption(
      new Option(
        '--clock <kind>',
        'real: real time, which POST /__mock/clock?advance=MS can also move ahead; manual: time moves only that way.',
      )
        .choices(['real', 'manual'])
        .default('real'),
    )
    .addOption(
      new Option('--valuation-days <n>', 'Days of daily valuations per account.')
        .default(400)
        .argParser(integerOption('--valuation-days', 1, 200_000)),
    )
    .addOption(
      new Option(
        '--fault <name>',
        'Commit this contract violation on purpose (repeatable; for testing conformance suites). ' +
          `Names: ${FAULTS.map((f) => f.name).join(', ')}.`,
      ).argParser((value: string, previous: string[] = []) => [...previous, value]),
    )
    .addOption(new Option('--quiet', 'Do not print a line per request.'))
    .action(
      async (options: {
        port: number;
        host: string;
        seed: number;
        clientId?: string;
        clientSecret?: string;
        signatureKey?: string;
        signatureKeyId: string;
        signatureTolerance: number;
        allowNonceReuse?: boolean;
        signatureVersion: SignatureVersion;
        rateLimit?: number;
        webhookUrl?: string;
        webhookMode: 'bundled' | 'single';
        clock: 'real' | 'manual';
        valuationDays: number;
        quiet?: boolean;
        fault?: string[];
      }) => {
        const unknown = (options.fault ?? []).filter((name) => !FAULTS.some((f) => f.name === name));
        if (unknown.length > 0)
          throw new UsageError(`--fault ${unknown.join(', ')}: no such fault`, {
            hint: `Faults: ${FAULTS.map((f) => f.name).join(', ')}.`,
          });
        let signatureKey: VerifyingKey | undefined;
        if (options.signatureKey) {
          let pem: string;
          try {
            pem = readFileSync(options.signatureKey, 'utf8');
          } catch (error) {
            throw new UsageError(
              `--signature-key ${options.signatureKey} cannot be read: ` +
                `${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
            );
          }
          signatureKey = publicKeyFromPem(pem, options.signatureKeyId);
        }
        const mock = await startMock({
          port: options.port,
          host: options.host,
          seed: options.seed,
          clients:
            options.clientId || options.clientSecret
              ? [
                  {
                    clientId: options.clientId ?? stableUuid(options.seed, 'client'),
                    clientSecret: options.clientSecret ?? DEFAULT_MOCK_CLIENT_SECRET,
                    scopes: manifest.security.scopes,
                  },
                ]
              : undefined,
          signatureKeys: signatureKey ? (keyId) => (keyId === signatureKey.keyId ? signatureKey : undefined) : undefined,
          signatureToleranceSeconds: options.signatureTolerance,
          allowNonceReuse: options.allowNonceReuse,
          webhookSignatureVersion: options.signatureVersion,
          rateLimit: options.rateLimit,
          webhookUrl: options.webhookUrl,
          webhookMode: options.webhookMode,
          clock: options.clock === 'manual' ? new ManualClock(Date.now()) : new AdjustableClock(),
          valuationDays: options.valuationDays,
          faults: options.fault,
          log: options.quiet ? undefined : (line) => context.output.out(line),
        });
        const f = mock.fixtures;
        context.output.out(`upvest-conformance mock listening on ${mock.url}`);
        if (options.fault?.length)
          context.output.out(`  FAULTS ON:      ${options.fault.join(', ')} (this mock violates the contract on purpose)`);
        context.output.out(`  client id:      ${f.clientId}`);
        context.output.out(
          `  client secret:  ${
            options.clientSecret ? '(as given with --client-secret)' : `${DEFAULT_MOCK_CLIENT_SECRET} (the mock's documented default)`
          }`,
        );
        context.output.out(
          `  signatures:     ${
            signatureKey
              ? `verified with key id ${signatureKey.keyId} (draft-15 or draft-06, as upvest-signature-version says; ` +
                `tolerance ${options.signatureTolerance} s${options.allowNonceReuse ? ', nonces may repeat' : ''})`
              : 'required with upvest-signature-version, not verified (give --signature-key to verify)'
          }`,
        );
        for (const account of f.accounts)
          context.output.out(`  account:        ${account.id} (${account.type}${account.business ? ', business' : ''})`);
        for (const execution of f.executions) context.output.out(`  execution:      ${execution.id} (${execution.orders} orders)`);
        for (const allocation of f.allocations) context.output.out(`  allocation:     ${allocation}`);
        context.output.out(
          `  webhook keys:   ${mock.url}/auth/verify_keys (kid ${f.webhookKeyId}; ` +
            `deliveries signed with draft-${options.signatureVersion.padStart(2, '0')})` +
            (options.webhookUrl ? `; delivering to ${options.webhookUrl}` : ''),
        );
        context.output.out('Press Ctrl+C to stop.');
        await waitForStop(context.signal);
        await mock.close();
        context.output.out('mock stopped');
      },
    );
}
