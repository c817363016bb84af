/**
 * auth: each credential taken away or broken, one at a time, is refused. A missing header may be
 * refused with any documented refusal; an unknown token is a 401, a token without the scope a 403;
 * signature cases are errors only where verification is expected (else a convention, a warning).
 */
import { describe, expect, test } from 'vitest';
import { auth } from '../../src/checks/auth.js';
import type { CheckEnvironment, Probe, ProbeResult } from '../../src/checks/types.js';
import { createCheckContext } from '../../src/engine/check-context.js';
import { SPEC } from '../../src/spec/spec-view.js';
import { environment, type FakeResponse, result, runCheck } from '../helpers/check-harness.js';
import { at, expectFindings, LIST_VALUATIONS, VALUATIONS_PATH, type WantFinding } from './fixtures.js';

/** The documented refusal each case expects. */
const refuse = (probe: Probe): FakeResponse => {
  const status = probe.expect!.statuses[0] ?? 400;
  return { status, json: { type: 'x', status } };
};

const ALL = [
  'auth:no-bearer',
  'auth:bad-bearer',
  'auth:no-client-id',
  'auth:wrong-scope',
  'auth:unsigned',
  'auth:forged-signature',
  'auth:upvest-client-id:malformed',
  'auth:authorization:malformed',
  'auth:signature:removed',
  'auth:signature-input:removed',
  'auth:signature-input:malformed',
];
const REFUSAL = 'a 4xx refusal (documented: 400, 401, 403)';
const param = (name: string) => at(VALUATIONS_PATH, 'get', 'parameters', name);

interface Case {
  name: string;
  /** The probe answered wrongly, and with what status. */
  probe: string;
  status: number;
  env?: Partial<CheckEnvironment>;
  want: WantFinding[];
}

const accepted = (probe: string, expected: string, basisAt: string, env?: Partial<CheckEnvironment>): Case => ({
  name: `${probe} accepted fails`,
  probe,
  status: 200,
  env,
  want: [{ severity: 'error', basis: 'documented', message: ': answered 200', expected, at: basisAt, probe }],
});

const cases: Case[] = [
  accepted('auth:no-bearer', `${REFUSAL} (authorization is a required header)`, param('authorization')),
  accepted('auth:bad-bearer', '401 (an unknown token is not authenticated', at(VALUATIONS_PATH, 'get', 'responses', '401')),
  accepted('auth:no-client-id', `${REFUSAL} (upvest-client-id is a required header)`, param('upvest-client-id')),
  accepted('auth:wrong-scope', '403 (the operation needs valuations:read', at(VALUATIONS_PATH, 'get', 'responses', '403')),
  accepted('auth:unsigned', `${REFUSAL} (signature and signature-input are required)`, param('signature')),
  accepted('auth:forged-signature', `${REFUSAL} (a forged signature must be refused)`, param('signature')),
  accepted('auth:upvest-client-id:malformed', `${REFUSAL} (upvest-client-id breaks its documented form)`, param('upvest-client-id')),
  accepted('auth:authorization:malformed', `${REFUSAL} (authorization breaks its documented form)`, param('authorization')),
  accepted('auth:signature:removed', `${REFUSAL} (signature is a required header)`, param('signature')),
  accepted('auth:signature-input:removed', `${REFUSAL} (signature-input is a required header)`, param('signature-input')),
  accepted('auth:signature-input:malformed', `${REFUSAL} (signature-input breaks its documented form)`, param('signature-input')),
  { name: 'a missing bearer refused with 404 is still a refusal', probe: 'auth:no-bearer', status: 404, want: [] },
  {
    name: 'a missing bearer answered 429 is not a refusal ("later", not "no")',
    probe: 'auth:no-bearer',
    status: 429,
    want: [{ severity: 'error', basis: 'documented', message: 'no authorization header: answered 429' }],
  },
  {
    name: 'an unknown token refused with 403 fails: it is not authenticated',
    probe: 'auth:bad-bearer',
    status: 403,
    want: [{ severity: 'error', basis: 'documented', message: 'answered 403', received: '403', expected: '401' }],
  },
  {
    name: 'a token without the scope refused with 401 fails: it is authenticated',
    probe: 'auth:wrong-scope',
    status: 401,
    want: [{ severity: 'error', basis: 'documented', message: 'answered 401', expected: '403' }],
  },
  {
    name: 'a forged signature accepted where verification is not expected is a warning',
    probe: 'auth:forged-signature',
    status: 200,
    env: { expectSignatureVerification: false },
    want: [{ severity: 'warning', basis: 'convention', message: 'a signature that does not verify: answered 200' }],
  },
  {
    name: 'an unsigned request accepted where verification is not expected is a warning',
    probe: 'auth:unsigned',
    status: 200,
    env: { expectSignatureVerification: false },
    want: [{ severity: 'warning', basis: 'convention', message: 'no HTTP message signature: answered 200' }],
  },
  {
    name: 'a signature header removed alone, accepted where verification is not expected, is a warning',
    probe: 'auth:signature:removed',
    status: 200,
    env: { expectSignatureVerification: false },
    want: [{ severity: 'warning', basis: 'convention', message: 'the signature header removed alone: answered 200' }],
  },
  {
    name: 'a malformed client id accepted is an error whatever is expected of signatures',
    probe: 'auth:upvest-client-id:malformed',
    status: 200,
    env: { expectSignatureVerification: false },
    want: [{ severity: 'error', basis: 'documented', message: 'answered 200' }],
  },
];

describe('auth', () => {
  test('a target that refuses every case passes, each case sent once', async () => {
    const run = await runCheck(auth, LIST_VALUATIONS, { answer: refuse });
    expect(run.probes.map((p) => p.id)).toEqual(ALL);
    expect(run.probes.every((p) => p.kind === 'negative')).toBe(true);
    expect(run.status).toBe('passed');
    expect(run.stats.cases).toBe(ALL.length);
  });

  test.for(cases)('$name', async ({ probe, status, env, want }) => {
    const run = await runCheck(auth, LIST_VALUATIONS, {
      env: environment(env),
      answer: (p) => (p.id === probe ? { status, json: { type: 'x', status } } : refuse(p)),
    });
    expectFindings(run, want);
  });

  test.for([
    { name: 'without signing, no signature case is sent', env: { signing: false }, absent: ALL.filter((id) => id.includes('sign')) },
    { name: 'without a foreign scope, the wrong-scope case is not sent', env: { foreignScopes: undefined }, absent: ['auth:wrong-scope'] },
  ])('$name', async ({ env, absent }) => {
    const run = await runCheck(auth, LIST_VALUATIONS, { env: environment(env), answer: refuse });
    const sent = run.probes.map((p) => p.id);
    expect(sent).toEqual(ALL.filter((id) => !absent.includes(id)));
  });

  test('a case the client cannot exercise (no token for the foreign scope) is excused, not counted', async () => {
    const operation = SPEC.operation(LIST_VALUATIONS);
    const record = createCheckContext({ check: auth, operation, env: environment(), spec: SPEC });
    const run = auth.start(record.ctx);
    const send = async (input: Omit<Probe, 'owner'>): Promise<ProbeResult> => {
      const probe = { ...input, owner: 'auth' };
      if (probe.id !== 'auth:wrong-scope') return result(refuse(probe), probe);
      // What the engine hands back when the token request fails: no status, an error.
      record.error({ probe: probe.id, code: 'CT_ERR_AUTH_TOKEN', message: 'the scope was refused' });
      return {
        ...result({ status: 200, json: {} }, probe),
        status: undefined,
        error: { code: 'CT_ERR_AUTH_TOKEN', message: 'the scope was refused' },
      };
    };
    await run.exercise!({ send, sendAll: (list) => Promise.all(list.map(send)) });
    const outcome = record.outcome();
    expect(outcome.status).toBe('passed');
    expect(outcome.errors).toEqual([]);
    expect(outcome.stats).toMatchObject({ cases: ALL.length - 1, 'excused:auth:wrong-scope': 'not exercised: the scope was refused' });
  });
});
