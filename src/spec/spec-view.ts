/**
 * The spec checks are handed through their context (never imported): the manifest and the
 * look-ups every check needs (manifest-view.ts), bound to one manifest so that a test can give a
 * check a spec of its own, and validating bodies with the generated validators.
 */
import { manifest as generatedManifest } from './manifest.js';
import type { Manifest } from './manifest-types.js';
import { manifestView, type SpecView } from './manifest-view.js';
import { validateBody } from './validate.js';

export type { SpecView } from './manifest-view.js';

export function createSpecView(manifest: Manifest = generatedManifest): SpecView {
  return manifestView(manifest, validateBody);
}

/** The spec of this package (generated/), shared by every run that is not given another. */
export const SPEC: SpecView = createSpecView();
