/**
 * The replay side of `npm run bench -- full-run`: the run's requests again with undici alone, in
 * their own process: the same order, the same concurrency, each body read and dropped, no checks.
 */
import { Pool } from 'undici';

process.on('message', async ({ url, requests, concurrency }) => {
  const pool = new Pool(url, { connections: concurrency });
  const statuses = {};
  let next = 0;
  // `concurrency` senders taking the next request in turn: at most that many in flight, in order.
  const sender = async () => {
    while (next < requests.length) {
      const r = requests[next++];
      const u = new URL(r.url);
      const res = await pool.request({ method: r.method, path: `${u.pathname}${u.search}`, headers: r.headers, body: r.body ?? undefined });
      await res.body.arrayBuffer();
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
    }
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, sender));
  const replayMs = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  await pool.close();
  process.send({ replayMs, cpuMs: (user + system) / 1000, statuses });
});
