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

async function latency(client) {
  const messages = [{ role: 'user', content: 'Say hello in five words.' }];
  for (let i = 0; i < 20; i += 1) await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
  const samples = [];
  for (let i = 0; i < CALLS; i += 1) {
    const t = performance.now();
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    samples.push(performance.now() - t);
  }
  return stats(samples);
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
  const direct = await latency(new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: key, maxRetries: 0 }));
  const governed = await latency(new OpenAI({ ...runtime.clientOptions(), maxRetries: 0 }));
  console.log(`chat call direct to the fake: p50 ${direct.p50.toFixed(3)} ms, p95 ${direct.p95.toFixed(3)} ms (${CALLS} calls)`);
  console.log(`through the gateway:          p50 ${governed.p50.toFixed(3)} ms, p95 ${governed.p95.toFixed(3)} ms`);
  console.log(
    `added by the gateway: p50 ${(governed.p50 - direct.p50).toFixed(3)} ms, mean ${(governed.mean - direct.mean).toFixed(3)} ms`,
  );
} finally {
  await runtime.close();
  fake.stop();
}
