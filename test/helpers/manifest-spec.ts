/**
 * The package's spec without its body validators, and a check environment, for the engine's
 * unit tests: they read the manifest only, and importing generated/validators.js (1.4 MB) costs
 * each test file seconds. `validate` refuses: a test that needs it uses SPEC.
 */
import type { CheckEnvironment } from '../../src/checks/types.js';
import { manifest } from '../../src/spec/manifest.js';
import { manifestView, type SpecView } from '../../src/spec/manifest-view.js';

export const MANIFEST_SPEC: SpecView = manifestView(manifest, () => {
  throw new Error('MANIFEST_SPEC does not validate bodies: use SPEC from src/spec/spec-view.ts');
});

export const ACCOUNT = '7d2a4c1e-5b3f-4a6d-8e9f-0a1b2c3d4e5f';
export const EXECUTION = '3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7';

/** What the engine tells the checks of an operation, with the fixtures' ids. */
export function environment(overrides: Partial<CheckEnvironment> = {}): CheckEnvironment {
  return {
    pathValues: { account_id: [ACCOUNT], execution_id: [EXECUTION] },
    queryValues: { price_quality: 'EOD' },
    signing: true,
    expectSignatureVerification: true,
    depth: 'quick',
    foreignScopes: ['valuations:read'],
    requestBody: { accounts: [ACCOUNT] },
    pageLimit: 2,
    maxPages: 50,
    minEnumCoverage: 0,
    ...overrides,
  };
}
