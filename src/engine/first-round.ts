/**
 * Before any check: can this run use the target at all? One documented request per reading
 * operation (no POST: it would create something), after a token. When every answer is a
 * refusal (401/403) the cause is on the run's side (no signature, a token without the scope,
 * another client's id): one line names it and its fix, and the run stops. When the target does
 * not answer at all, likewise. Either way nothing is reported as the target's violation.
 */
import type { ProbeInput } from '../checks/types.js';
import { scrubThenCut } from '../client/redact.js';
import type { UpvestClient } from '../client/upvest-client.js';
import { CrossOriginRedirectError, HarnessError, TargetRefusesError, TokenRequestError } from '../errors.js';
import type { SpecView } from '../spec/spec-view.js';

export interface RunStop {
  code: string;
  message: string;
  hint?: string;
}

interface Answer {
  probe: ProbeInput;
  status?: number;
  detail?: string;
  error?: HarnessError;
}

function detailOf(body: Buffer): string | undefined {
  try {
    const problem = JSON.parse(body.toString('utf8')) as { detail?: unknown; title?: unknown };
    const text = typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : undefined;
    return text === undefined ? undefined : scrubThenCut(text, 160);
  } catch {
    return undefined;
  }
}

/** The tool-side cause of answers that are all refusals, and what to do about it. */
export function diagnoseRefusals(answers: { status: number; detail?: string; request: string }[], signing: boolean): RunStop {
  const first = answers[0];
  const at = `${first.status} on ${first.request}${first.detail ? `: "${first.detail}"` : ''}`;
  const mentions = (word: RegExp) => answers.some((a) => a.detail && word.test(a.detail));
  if (answers.some((a) => a.status === 401)) {
    if (!signing) {
      return {
        code: TargetRefusesError.code,
        message: `the target refuses unsigned requests (${at})`,
        hint: 'Set --signing-key / UPVEST_SIGNING_KEY and --signing-key-id / UPVEST_SIGNING_KEY_ID (the key Upvest registered).',
      };
    }
    if (mentions(/signature/i)) {
      return {
        code: TargetRefusesError.code,
        message: `the target refuses this run's signatures (${at})`,
        hint: 'Check --signing-key-id (the key id Upvest registered for this key) and the key itself, and --signature-version.',
      };
    }
    return {
      code: TargetRefusesError.code,
      message: `the target does not accept the bearer token (${at})`,
      hint: 'Check --client-id / UPVEST_CLIENT_SECRET, or --access-token when one is given.',
    };
  }
  if (mentions(/client[- _]?id/i)) {
    return {
      code: TargetRefusesError.code,
      message: `the target refuses this run's upvest-client-id (${at})`,
      hint: 'Give --client-id the client the credentials belong to.',
    };
  }
  return {
    code: TargetRefusesError.code,
    message: `the target refuses every documented request with 403 (${at})`,
    hint: "The token lacks the scopes the operations need, or the client is not this one: check the client's scopes and --client-id.",
  };
}

export async function firstRound(options: {
  client: UpvestClient;
  spec: SpecView;
  probes: ProbeInput[];
  signing: boolean;
}): Promise<RunStop | undefined> {
  const { client } = options;
  if (client.tokens.scoped) {
    const scopes =
      options.probes[0]?.request.auth && 'scopes' in options.probes[0].request.auth ? options.probes[0].request.auth.scopes : [];
    try {
      await client.tokens.token(scopes);
    } catch (error) {
      // A refused scope is a finding of each operation's checks; refused credentials stop the run.
      if (error instanceof TokenRequestError && (error.details?.status === 403 || error.details?.status === 400)) return undefined;
      // A token endpoint that wants a signature this run does not send: the cause is the missing key.
      if (error instanceof TokenRequestError && error.details?.status === 401 && /signature/i.test(error.message)) {
        return diagnoseRefusals([{ status: 401, detail: error.message, request: 'POST /auth/token' }], options.signing);
      }
      if (error instanceof HarnessError) return { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
      throw error;
    }
  }
  if (options.probes.length === 0) return undefined;
  const answers: Answer[] = await Promise.all(
    options.probes.map(async (probe): Promise<Answer> => {
      try {
        const response = await client.send(probe.request);
        return { probe, status: response.status, detail: detailOf(response.body) };
      } catch (error) {
        if (error instanceof HarnessError) return { probe, error };
        throw error;
      }
    }),
  );
  const transport = answers.filter((a) => a.error && !(a.error instanceof TokenRequestError));
  if (transport.length === answers.length) {
    const error = transport[0].error!;
    if (error instanceof CrossOriginRedirectError)
      return { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
    return { code: error.code, message: `the target is unusable: ${error.message}`, ...(error.hint ? { hint: error.hint } : {}) };
  }
  const answered = answers.filter((a) => a.status !== undefined);
  if (answered.length === answers.length && answered.every((a) => a.status === 401 || a.status === 403)) {
    return diagnoseRefusals(
      answered.map((a) => ({ status: a.status!, detail: a.detail, request: `${a.probe.request.method} ${a.probe.request.path}` })),
      options.signing,
    );
  }
  return undefined;
}
