import { startMock } from './src/mock/server.ts';
import { ConformanceRun } from './src/engine/run.ts';
import { generateSigningKey } from './src/signing/index.ts';
import { createPublicKey } from 'node:crypto';
import { renderFailure } from './src/checks/failure.ts';
const key = generateSigningKey('ecdsa-p521-sha512', 'embedded');
const pub = { keyId: 'embedded', algorithm: key.algorithm, publicKey: createPublicKey(key.privateKey) };
const mock = await startMock({ signatureKeys: (id) => id === 'embedded' ? pub : undefined });
const pem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const t0 = performance.now();
const run = ConformanceRun.open({ baseUrl: mock.url, clientId: mock.fixtures.clientId, clientSecret: mock.fixtures.clientSecret, signingKey: pem, signingKeyId: 'embedded', accountIds: mock.fixtures.accounts.map(a => a.id), executionId: mock.fixtures.executions[0].id, triggerAccountIds: [mock.fixtures.accounts[0].id], timeoutMs: 10000, deadlineMs: 120000, concurrency: 4, maxResponseBytes: 16e6, pageLimit: 2, maxPages: 200, minEnumCoverage: 0, only: [], skip: [], bail: false, embeddedMock: true });
const reports = await run.runAll();
for (const r of reports) {
  console.log(r.operation, r.probes, 'probes', r.durationMs, 'ms', JSON.stringify(r.statusesSeen), r.skipReason ?? '');
  for (const o of r.outcomes) { if (o.status !== 'passed') { console.log('  ', o.check, o.status, o.skipReason ?? '', o.errors.map(e => e.message).join('; ')); for (const f of o.failures.slice(0, 3)) console.log(renderFailure(f).split('\n').map(l => '      ' + l).join('\n')); } if (o.warnings.length) console.log('   warn', o.check, o.warnings.length); }
}
console.log('total', (performance.now() - t0).toFixed(0), 'ms', run.prepared.transport.recorder.exchanges.length, 'exchanges');
await run.close(); await mock.close();
