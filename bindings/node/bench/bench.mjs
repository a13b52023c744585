// Prints (1) the per-call cost of checkTool from JavaScript (sync fast path
// and the async path through Tokio), and (2) the latency the gateway adds:
// the same official-client call made directly to the fake provider and
// through a SafetyRuntime. Numbers, not assertions. Build the addon with
// `npm run build` (release) first for meaningful numbers.
//
//   node bench/bench.mjs [--calls 300]

import { performance } from 'node:perf_hooks';

import OpenAI from 'openai';

import { SafetyRuntime } from '../index.mjs';
import { FakeProvider } from '../test/fake.mjs';

const arg = process.argv.indexOf('--calls');
const CALLS = arg > 0 ? Number(process.argv[arg + 1]) : 300;

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { p50: at(0.5), p95: at(0.95), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

const fmt = (ms) => `${(ms * 1000).toFixed(1)} µs`;

async function checkToolCost(runtime) {
  const args = { path: '/home/user/notes.txt', mode: 'r' };
  for (let i = 0; i < 2000; i += 1) runtime.checkToolSync('read_file', args); // warm-up
  const n = 100_000;
  let t = performance.now();
  for (let i = 0; i < n; i += 1) runtime.checkToolSync('read_file', args);
  const sync = (performance.now() - t) / n;
  const m = 10_000;
  t = performance.now();
  for (let i = 0; i < m; i += 1) await runtime.checkTool('read_file', args);
  const serial = (performance.now() - t) / m;
  t = performance.now();
  await Promise.all(Array.from({ length: m }, () => runtime.checkTool('read_file', args)));
  const concurrent = (performance.now() - t) / m;
  console.log(`checkToolSync: ${fmt(sync)} per call (${n} calls)`);
  console.log(`checkTool (async, awaited one by one): ${fmt(serial)} per call (${m} calls)`);
  console.log(`checkTool (async, ${m} in flight): ${fmt(concurrent)} per call (throughput)`);
}

/** Alternates direct and governed calls so load drift on a shared machine
 *  hits both alike; returns the stats of each and of the per-pair difference. */
async function latency(direct, governed) {
  const messages = [{ role: 'user', content: 'Say hello in five words.' }];
  const call = async (client) => {
    const t = performance.now();
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    return performance.now() - t;
  };
  for (let i = 0; i < 20; i += 1) await Promise.all([call(direct), call(governed)]);
  const d = [];
  const g = [];
  for (let i = 0; i < CALLS; i += 1) {
    d.push(await call(direct));
    g.push(await call(governed));
  }
  return { direct: stats(d), governed: stats(g), added: stats(g.map((x, i) => x - d[i])) };
}

const fake = await FakeProvider.start();
const key = fake.newKey();
const runtime = await SafetyRuntime.create({
  budgetUsd: 100,
  upstreams: { openai: fake.url },
  apiKeys: { openai: key },
  tools: { restrictedPaths: ['/etc'] },
});
try {
  await checkToolCost(runtime);
  const r = await latency(
    new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: key, maxRetries: 0 }),
    new OpenAI({ ...runtime.clientOptions(), maxRetries: 0 }),
  );
  const ms = (x) => `${x.toFixed(3)} ms`;
  console.log(`chat call direct to the fake: p50 ${ms(r.direct.p50)}, p95 ${ms(r.direct.p95)} (${CALLS} calls)`);
  console.log(`through the gateway:          p50 ${ms(r.governed.p50)}, p95 ${ms(r.governed.p95)}`);
  console.log(`added by the gateway (paired): p50 ${ms(r.added.p50)}, mean ${ms(r.added.mean)}`);
} finally {
  await runtime.close();
  fake.stop();
}
