import { Agent } from 'undici';
import { createServer } from 'node:http';
const s = createServer((q, r) => r.end('ok')).listen(0);
await new Promise(r => s.once('listening', r));
const origin = `http://127.0.0.1:${s.address().port}`;
const a = new Agent({ connections: 2 });
for (const h of [{ x: 'a\r\nb' }, { x: 'a\u0000b' }, { 'bad name': 'x' }, { x: 'é€' }]) {
  for (let i = 0; i < 3; i++) {
  try { await a.request({ origin, path: '/', method: 'GET', headers: h }); console.log('ok?', h) } catch (e) { console.log('err', e.code, e.message) }
  }
}
const t = setTimeout(() => { console.log('HANG'); process.exit(1) }, 5000);
for (let i = 0; i < 5; i++) { const r = await a.request({ origin, path: '/', method: 'GET' }); console.log(r.statusCode, await r.body.text()); }
clearTimeout(t); await a.close(); s.close();
