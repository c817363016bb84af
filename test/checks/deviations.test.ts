/**
 * The documented examples listed in spec/samples/deviations.json as flagged by a check are
 * flagged by it: the list and the checks cannot drift apart.
 */
import { describe, expect, test } from 'vitest';
import { CHECKS } from '../../src/checks/registry.js';
import { deviations, loadSample, sampleIndex } from '../helpers/samples.js';
import { environment, result, runCheck } from '../helpers/check-harness.js';

const flagged = deviations.flatMap((d) => d.flaggedBy.map((f) => ({ ...f, sample: d.sample })));

describe('deviations flagged by checks', () => {
  test.for(flagged.map((f) => [`${f.sample} › ${f.check}`, f] as const))('%s', async ([, f]) => {
    const entry = sampleIndex.find((s) => s.file === f.sample)!;
    const check = CHECKS.find((c) => c.name === f.check)!;
    const status = Number(entry.status);
    // The orders example is read as the answer for its first item's execution.
    const body = loadSample(f.sample) as { data?: { execution_id: string }[] };
    const executionId = body.data?.[0]?.execution_id ?? '00000000-0000-4000-8000-000000000000';
    const observed = [
      result(
        { status, json: body },
        {
          pathParams: { execution_id: executionId },
          request: { method: 'GET', path: '/x', query: [['limit', '10']], auth: { scopes: [] } },
        },
      ),
    ];
    const { failures, warnings } = await runCheck(check, entry.operationId!, { observed, env: environment(), exercise: false });
    const findings = f.severity === 'warning' ? warnings : failures;
    expect(findings.length, f.because).toBeGreaterThan(0);
  });
});
