/** What the checks of one operation need to know about the target: ids to use, values, scopes. */
import type { CheckEnvironment } from '../checks/types.js';
import type { ManifestOperation } from '../spec/manifest-types.js';
import type { SpecView } from '../spec/spec-view.js';

export interface TargetFacts {
  accountIds: string[];
  /** An existing execution to read (configured, or created by the trigger operation). */
  executionId?: string;
  /** Accounts to rebalance when the suite creates an execution. */
  triggerAccountIds: string[];
  signing: boolean;
  /** The key's algorithm and what signs with it (for reports). */
  signer?: string;
  expectSignatureVerification: boolean;
  /** Whether a token per scope set can be had (not with a fixed --access-token). */
  scopedTokens: boolean;
  pageLimit: number;
  maxPages: number;
  minEnumCoverage: number;
  depth: 'quick' | 'full';
}

const HINTS: Record<string, string> = {
  account_id: 'no account to read: give --account-id (or UPVEST_ACCOUNT_IDS)',
  execution_id: 'no rebalancing execution to read: give --execution-id, or let the trigger operation create one',
};

/** A scope the client can be expected to hold (another operation needs it) that does not satisfy `op`. */
export function foreignScopes(op: ManifestOperation, spec: SpecView): string[] | undefined {
  const own = new Set(op.scopes.flat());
  // Read scopes first: the least privileged token the client is likely to hold.
  const used = spec.manifest.operations
    .flatMap((o) => o.scopes.flat())
    .sort((a, b) => Number(b.endsWith(':read')) - Number(a.endsWith(':read')));
  const foreign = used.find((scope) => !own.has(scope) && !op.scopes.some((set) => set.every((s) => s === scope)));
  return foreign ? [foreign] : undefined;
}

export function environmentFor(op: ManifestOperation, facts: TargetFacts, spec: SpecView): CheckEnvironment | { skip: string } {
  const pathValues: Record<string, string[]> = {};
  for (const p of op.parameters.filter((x) => x.in === 'path')) {
    const values = p.name === 'account_id' ? facts.accountIds : p.name === 'execution_id' && facts.executionId ? [facts.executionId] : [];
    if (values.length === 0) return { skip: HINTS[p.name] ?? `no value for path parameter ${p.name}` };
    pathValues[p.name] = values;
  }
  const queryValues: Record<string, string> = {};
  for (const p of op.parameters.filter((x) => x.in === 'query' && x.required && x.constraints.default === undefined)) {
    const first = p.constraints.enum?.[0];
    if (first === undefined) return { skip: `required query parameter ${p.name} has no documented value to send` };
    queryValues[p.name] = String(first);
  }
  let requestBody: unknown;
  if (op.requestBody) {
    const accounts = facts.triggerAccountIds.length > 0 ? facts.triggerAccountIds : facts.accountIds.slice(0, 1);
    if (accounts.length === 0) return { skip: 'no account to rebalance: give --trigger-account-id or --account-id' };
    requestBody = { accounts };
  }
  return {
    pathValues,
    queryValues,
    signing: facts.signing,
    expectSignatureVerification: facts.expectSignatureVerification,
    foreignScopes: facts.scopedTokens ? foreignScopes(op, spec) : undefined,
    requestBody,
    pageLimit: facts.pageLimit,
    maxPages: facts.maxPages,
    minEnumCoverage: facts.minEnumCoverage,
    depth: facts.depth,
  };
}
