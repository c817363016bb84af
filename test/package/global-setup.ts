/**
 * Tests run the command as users do, through bin/ and so dist/: bundle it first when a source
 * changed since the last build (`npm ci` builds it; an edit after that must not test old code).
 */
import { bundleIfStale } from '../../scripts/build.js';

export default async function setup(): Promise<void> {
  await bundleIfStale();
}
