/**
 * Before any check: are the credentials accepted? Wrong credentials would make every check fail
 * the same way: the run stops with one clear error (exit 2) instead. A target that does not
 * answer is not stopped here: the run goes on and each check records, in one line, what it
 * could not do.
 */
import { CrossOriginRedirectError, HarnessError, TokenRequestError } from '../errors.js';
import type { SpecView } from '../spec/spec-view.js';
import { prepareTarget, type TargetDescription } from './target.js';

export async function preflight(target: TargetDescription, spec: SpecView, warn: (line: string) => void): Promise<void> {
  const prepared = prepareTarget({ ...target, deadlineMs: Math.min(target.deadlineMs, 60_000) });
  try {
    if (!prepared.client.tokens.scoped) return; // a fixed --access-token: nothing to ask the token endpoint
    const scopes = spec.manifest.operations.map((op) => op.scopes[0] ?? []).find((s) => s.length > 0) ?? [];
    await prepared.client.tokens.token(scopes);
  } catch (error) {
    // A refused scope is the checks' finding (per operation); bad credentials are not.
    if (error instanceof TokenRequestError && (error.details?.status === 403 || error.details?.status === 400)) return;
    if (error instanceof HarnessError && !(error instanceof TokenRequestError) && !(error instanceof CrossOriginRedirectError)) {
      warn(`target ${error.code}: ${error.message} (the run goes on; each check will say what it could not do)`);
      return;
    }
    throw error;
  } finally {
    await prepared.close();
  }
}
