/** Run-time access to the generated manifest and stored schemas (never the YAML). */
import { readFileSync } from 'node:fs';
import type { Manifest, ManifestOperation, ManifestResponse, StoredListPlans } from './manifest-types.js';

export type * from './manifest-types.js';

const generatedUrl = (name: string) => new URL(`../../generated/${name}`, import.meta.url);

export const manifest: Manifest = JSON.parse(readFileSync(generatedUrl('manifest.json'), 'utf8')) as Manifest;

let storedSchemas: Record<string, unknown> | undefined;

/** The inlined schema a body validator was compiled from (generated/schemas.json). */
export function storedSchema(validator: string): unknown {
  storedSchemas ??= (JSON.parse(readFileSync(generatedUrl('schemas.json'), 'utf8')) as { schemas: Record<string, unknown> }).schemas;
  const schema = storedSchemas[validator];
  if (schema === undefined) throw new Error(`no stored schema named ${validator} in generated/schemas.json`);
  return schema;
}

let listPlans: StoredListPlans | undefined;

/** list-combinations' plans, computed at generation for the default page limit (generated/list-plans.json). */
export function storedListPlans(): StoredListPlans {
  listPlans ??= JSON.parse(readFileSync(generatedUrl('list-plans.json'), 'utf8')) as StoredListPlans;
  return listPlans;
}

export function operationById(operationId: string): ManifestOperation {
  const op = manifest.operations.find((o) => o.operationId === operationId);
  if (!op) throw new Error(`no operation ${operationId} in generated/manifest.json`);
  return op;
}

export function documentedResponse(op: ManifestOperation, status: number | string): ManifestResponse | undefined {
  return op.responses.find((r) => r.status === String(status));
}

export function documentedStatuses(op: ManifestOperation): number[] {
  return op.responses.map((r) => Number(r.status));
}

/** Methods the spec documents for a path template. */
export function methodsOfPath(path: string): string[] {
  return manifest.paths.find((p) => p.path === path)?.methods ?? [];
}
