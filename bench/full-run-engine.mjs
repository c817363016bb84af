/**
 * The engine side of `npm run bench -- full-run`: the package as it is installed (dist/, plain
 * Node, no tsx), one conformance session per round on the parent's command. It answers with the
 * run's wall and CPU time, the requests exactly as sent (the transport's tap: credentials and
 * signatures included), the statuses the target answered on the wire and what signed.
 */
import { subscribe } from 'node:diagnostics_channel';
import { openConformance } from '../dist/index.js';

let statuses = {};
subscribe('undici:request:headers', ({ response }) => {
  statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
});

process.on('message', async ({ settings, cwd }) => {
  try {
    const sent = [];
    const session = await openConformance({ settings, env: {}, cwd, engine: { transport: { tap: (request) => sent.push(request) } } });
    statuses = {};
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await session.execute();
    const runMs = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    await session.close();
    const requests = sent.map((r) => ({ method: r.method, url: r.url, headers: r.headers, body: r.body ?? null }));
    process.send({ runMs, cpuMs: (user + system) / 1000, requests, statuses, verdict: result.verdict, signer: result.target.signer });
  } catch (error) {
    process.send({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
});
