/**
 * Scale: full-run wall time and peak memory as the mock's valuation history grows (1k, 10k and
 * 100k days) at the default (100) and the maximal (1000) page size. Each case runs in its own
 * process. The cost should grow linearly in pages walked, and memory stay bounded.
 *   npm run bench -- scale [--sizes 1000,10000,100000]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fmt, table } from './stats.js';

export async function scale(args: string[]): Promise<void> {
  const sizes = (args.includes('--sizes') ? args[args.indexOf('--sizes') + 1] : '1000,10000,100000').split(',').map(Number);
  const worker = fileURLToPath(new URL('./scale-worker.ts', import.meta.url));
  const rows: (string | number)[][] = [
    [
      'history (days)',
      'page size',
      'pages walked',
      'requests',
      'wall s',
      'ms per page walked',
      'peak heap MB',
      'max RSS MB',
      'checks not passed',
    ],
  ];
  for (const limit of [100, 1000]) {
    for (const days of sizes) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', worker, String(days), String(limit)], {
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
      });
      const line = child.stdout.trim().split('\n').pop() ?? '';
      let r: { wallMs: number; requests: number; pagesWalked: number; peakHeapMb: number; maxRssMb: number; failed: string[] };
      try {
        r = JSON.parse(line);
      } catch {
        rows.push([days, limit, 'failed', child.stderr.slice(0, 200)]);
        continue;
      }
      rows.push([
        days,
        limit,
        r.pagesWalked,
        r.requests,
        fmt(r.wallMs / 1000, 1),
        fmt(r.wallMs / r.pagesWalked, 1),
        r.peakHeapMb,
        r.maxRssMb,
        r.failed.length === 0 ? 'none' : r.failed.join('; '),
      ]);
    }
  }
  console.log(`\nscale: one account, positions per valuation 5, concurrency 4, each case in a fresh process, Node ${process.version}\n`);
  console.log(table(rows));
}
