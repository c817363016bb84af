/** --only / --skip: names of checks (of any scope), operations (operationId or "METHOD /path") or the `webhooks` group. */
import type { Registry } from '../checks/registry.js';
import { UsageError } from '../errors.js';
import type { ManifestOperation } from '../spec/manifest-types.js';
import type { SpecView } from '../spec/spec-view.js';
import { WEBHOOKS_GROUP } from './events.js';

export interface Selection {
  operation(op: ManifestOperation): true | string;
  /** The provider webhooks group (`webhooks`). */
  webhooks(): true | string;
  check(name: string): true | string;
}

export function createSelection(only: string[], skip: string[], registry: Registry, spec: SpecView): Selection {
  const isCheck = (name: string) => registry.byName(name) !== undefined;
  const isOperation = (name: string) => spec.manifest.operations.some((op) => op.operationId === name || op.key === name);
  const isGroup = (name: string) => name === WEBHOOKS_GROUP.key;
  for (const [flag, names] of [
    ['--only', only],
    ['--skip', skip],
  ] as const) {
    for (const name of names) {
      if (!isCheck(name) && !isOperation(name) && !isGroup(name)) {
        throw new UsageError(`${flag} ${name}: no check or operation has this name`, {
          hint:
            `Checks: ${registry.all.map((c) => c.name).join(', ')}. ` +
            `Operations: ${spec.manifest.operations.map((o) => o.operationId).join(', ')}; or "${WEBHOOKS_GROUP.key}".`,
        });
      }
    }
  }
  const onlyChecks = only.filter(isCheck);
  const onlyGroups = only.filter((n) => isOperation(n) || isGroup(n));
  const matches = (op: ManifestOperation, name: string) => op.operationId === name || op.key === name;
  const group = (skipped: boolean, listed: boolean, hasCheck: boolean): true | string => {
    if (skipped) return 'skipped with --skip';
    if (onlyGroups.length > 0 && !listed) return 'not selected by --only';
    if (onlyGroups.length === 0 && onlyChecks.length > 0 && !hasCheck) return 'not selected by --only';
    return true;
  };
  return {
    operation: (op) =>
      group(
        skip.some((n) => matches(op, n)),
        onlyGroups.some((n) => matches(op, n)),
        true,
      ),
    webhooks: () =>
      group(
        skip.includes(WEBHOOKS_GROUP.key),
        onlyGroups.includes(WEBHOOKS_GROUP.key),
        onlyChecks.some((n) => registry.byName(n)?.scope === 'provider-webhooks'),
      ),
    check: (name) => {
      if (skip.includes(name)) return 'skipped with --skip';
      if (onlyChecks.length > 0 && !onlyChecks.includes(name)) return 'not selected by --only';
      return true;
    },
  };
}
