// The target comes from UPVEST_* variables or upvest-conformance.config.json; without
// UPVEST_BASE_URL the bundled mock is started and checked.
import { describeConformance } from 'upvest-conformance/vitest';

await describeConformance();
