/** --only / --skip: names of checks or operations (operationId or "METHOD /path"). */
import { UsageError } from '../errors.js';
import { CHECKS } from '../checks/registry.js';
import { manifest } from '../spec/manifest.js';
import type { ManifestOperation } from '../spec/manifest-types.js';

export interface Selection {
  operation(op: ManifestOperation): true | string;
  check(name: string): true | string;
}

/** Names outside the operation checks: the webhook suite and its check. */
const EXTRA_NAMES = ['webhooks', 'webhook-events'];

export function createSelection(only: string[], skip: string[]): Selection {
  const checkNames = new Set(CHECKS.map((c) => c.name));
  const isOperation = (name: string) => manifest.operations.some((op) => op.operationId === name || op.key === name);
  for (const [flag, names] of [
    ['--only', only],
    ['--skip', skip],
  ] as const) {
    for (const name of names) {
      if (!checkNames.has(name) && !isOperation(name) && !EXTRA_NAMES.includes(name)) {
        throw new UsageError(`${flag} ${name}: no check or operation has this name`, {
          hint: `Checks: ${[...checkNames].join(', ')}. Operations: ${manifest.operations.map((o) => o.operationId).join(', ')}.`,
        });
      }
    }
  }
  const onlyChecks = only.filter((n) => checkNames.has(n) || n === 'webhook-events');
  const onlyOps = only.filter(isOperation);
  const matches = (op: ManifestOperation, name: string) => op.operationId === name || op.key === name;
  return {
    operation: (op) => {
      if (skip.some((n) => matches(op, n))) return 'skipped with --skip';
      if (onlyOps.length > 0 && !onlyOps.some((n) => matches(op, n))) return 'not selected by --only';
      if (onlyOps.length === 0 && onlyChecks.length === 0 && only.length > 0) return 'not selected by --only';
      return true;
    },
    check: (name) => {
      if (skip.includes(name)) return 'skipped with --skip';
      if (onlyChecks.length > 0 && !onlyChecks.includes(name)) return 'not selected by --only';
      return true;
    },
  };
}
