/**
 * What checks may know about the spec, over one manifest, with the body validation given: the
 * engine's spec (spec-view.ts) gives the generated validators; a test that reads the manifest
 * only can give none, and so never loads the 1.4 MB validators module.
 */
import { documentedResponse, documentedStatuses, storedSchema } from './manifest.js';
import type { Manifest, ManifestOperation, ManifestResponse } from './manifest-types.js';
import type { BodyValidation } from './validate.js';

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

export function manifestView(manifest: Manifest, validate: SpecView['validate']): SpecView {
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
    validate,
  };
}
