/**
 * What checks may know about the spec, handed to them through their context (never imported):
 * the manifest and the look-ups every check needs, bound to one manifest so that a test can
 * give a check a spec of its own.
 */
import { documentedResponse, documentedStatuses, manifest as generatedManifest, storedSchema } from './manifest.js';
import type { Manifest, ManifestOperation, ManifestResponse } from './manifest-types.js';
import { validateBody, type BodyValidation } from './validate.js';

export interface SpecView {
  readonly manifest: Manifest;
  operation(operationId: string): ManifestOperation;
  documentedResponse(operation: ManifestOperation, status: number | string): ManifestResponse | undefined;
  documentedStatuses(operation: ManifestOperation): number[];
  /** Methods the spec documents for a path template. */
  methodsOfPath(path: string): string[];
  /** The inlined schema a body validator was compiled from (generated/schemas.json). */
  storedSchema(validator: string): unknown;
  /** The status whose documented problem `type` this is, over the whole spec. */
  statusOfProblemType(type: string): number | undefined;
  /** Validate a body with a generated validator and its closed twin. */
  validate(validator: string, body: unknown): BodyValidation;
}

export function createSpecView(manifest: Manifest = generatedManifest): SpecView {
  const problemTypes = new Map<string, number>();
  for (const op of manifest.operations) for (const r of op.responses) if (r.problemType) problemTypes.set(r.problemType, Number(r.status));
  return {
    manifest,
    operation(operationId) {
      const op = manifest.operations.find((o) => o.operationId === operationId);
      if (!op) throw new Error(`no operation ${operationId} in the manifest`);
      return op;
    },
    documentedResponse,
    documentedStatuses,
    methodsOfPath: (path) => manifest.paths.find((p) => p.path === path)?.methods ?? [],
    storedSchema,
    statusOfProblemType: (type) => problemTypes.get(type),
    validate: validateBody,
  };
}

/** The spec of this package (generated/), shared by every run that is not given another. */
export const SPEC: SpecView = createSpecView();
