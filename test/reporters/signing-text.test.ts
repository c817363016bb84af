/** Every report says whether requests were signed and, since report schema 1.2.0, with what. */
import { describe, expect, test } from 'vitest';
import { buildRunResult, type RunInfo } from '../../src/engine/result.js';
import { SPEC } from '../../src/spec/spec-view.js';
import { renderHtml } from '../../reporters/html.js';
import { renderMarkdown } from '../../reporters/markdown.js';
import { renderSummary } from '../../reporters/summary.js';

const INFO: RunInfo = {
  baseUrl: 'https://target.example',
  embeddedMock: false,
  signing: true,
  startedAt: '2026-12-02T00:00:00.000Z',
  durationMs: 1000,
  minEnumCoverage: 0,
};
const SIGNER = 'ecdsa-p521-sha512 by node:crypto, OpenSSL 3.0.19';

describe.for<[string, Partial<RunInfo>, string]>([
  ['signed, and with what', { signer: SIGNER }, `signing on (${SIGNER})`],
  ['signed, by a result from before the signer was recorded', {}, 'signing on'],
  ['unsigned', { signing: false }, 'signing off'],
])('%s', ([, info, expected]) => {
  const result = buildRunResult(SPEC, [], { ...INFO, ...info });

  test('report.json', () => {
    if (info.signer) expect(result.target.signer).toBe(SIGNER);
    else expect(result.target).not.toHaveProperty('signer');
  });

  test.for<[string, (r: typeof result) => string]>([
    ['the terminal summary', (r) => renderSummary(r)],
    ['summary.md', (r) => renderMarkdown(r)],
    ['report.html', (r) => renderHtml(r)],
  ])('%s', ([, render]) => {
    const text = render(result);
    expect(text).toContain(expected);
    if (!info.signer) expect(text).not.toContain('signing on (');
  });
});
