// Bad options fail at construction with a TypeError / RangeError that says
// what to fix; both entry points give the same classes.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import * as esm from '../index.mjs';

const { SafetyRuntime, protectAgent, ConfigError } = esm;

const cases = [
  [{ budgetUsd: '5' }, TypeError, /budgetUsd must be a number of US dollars, got the string "5"/],
  [{ budgetUsd: -1 }, RangeError, /budgetUsd must be a finite number >= 0, got -1/],
  [{ budgetUsd: Number.NaN }, RangeError, /budgetUsd must be a finite number >= 0/],
  [{ budgetUsd: Infinity }, RangeError, /budgetUsd/],
  [{ budget: 5 }, TypeError, /unknown option options\.budget; valid: budgetUsd/],
  [{ pii: 'scramble' }, RangeError, /pii must be one of allow, redact, block, alert, got "scramble"/],
  [{ pii: { mode: 'redact', emails: 'block' } }, TypeError, /unknown option pii\.emails/],
  [{ pii: 3 }, TypeError, /pii must be an object/],
  [{ injection: { threshold: 2 } }, RangeError, /injection\.threshold must be between 0 and 1, got 2/],
  [{ injection: 'redact' }, RangeError, /injection must be one of block, alert, allow/],
  [{ tools: ['deny'] }, TypeError, /tools must be an object, got an array/],
  [{ tools: { denied: ['x'] } }, TypeError, /unknown option tools\.denied; valid: allow, deny/],
  [{ tools: { deny: 'rm_*' } }, TypeError, /tools\.deny: invalid type: string "rm_\*", expected a sequence/],
  [{ tools: { maxArgBytes: -5 } }, TypeError, /tools\.maxArgBytes/],
  [{ tools: { rateLimits: { web_: { perMinute: 5 } } } }, TypeError, /tools\.rateLimits.*burst/],
  [{ tools: { action: 'redact' } }, RangeError, /tools\.action must be one of block, alert/],
  [{ approver: true }, TypeError, /approver must be a function/],
  [{ exportRealKeys: 'yes' }, TypeError, /exportRealKeys must be a boolean/],
  [{ allowedModels: 'gpt-4o' }, TypeError, /allowedModels must be an array of strings/],
  [{ upstreams: { openia: 'http://x' } }, TypeError, /unknown option upstreams\.openia; valid: openai, anthropic/],
  [{ icKey: 'ic_abc' }, TypeError, /remote mode needs both icKey and serverUrl/],
  [{ icKey: 'ic_abc', serverUrl: 'http://127.0.0.1:1', budgetUsd: 5 }, TypeError, /give budgetUsd \(local mode\) or icKey \+ serverUrl/],
  [{ serverUrl: 42, icKey: 'ic_x' }, TypeError, /serverUrl must be a non-empty string, got number 42/],
  [null, TypeError, /options must be an object, got null/],
];

for (const [options, cls, message] of cases) {
  test(`bad options ${JSON.stringify(options)} -> ${cls.name}`, () => {
    assert.throws(
      () => new SafetyRuntime(options),
      (e) => {
        assert.equal(e.constructor, cls, `${e.constructor.name}: ${e.message}`);
        assert.match(e.message, message);
        return true;
      },
    );
  });
}

test('protectAgent checks its options and its function when wrapping', () => {
  assert.throws(() => protectAgent(async () => 1, { budgetUsd: -2 }), RangeError);
  assert.throws(() => protectAgent('agent', {}), /fn must be the agent function/);
});

test('run() and checkTool() say what is wrong with their arguments', async () => {
  const runtime = new SafetyRuntime({ budgetUsd: 1 });
  await assert.rejects(runtime.run('not a function'), /agent must be a function/);
  assert.throws(() => runtime.checkToolSync('', {}), TypeError);
  assert.throws(() => runtime.gatewayUrl, (e) => e instanceof ConfigError && /not started/.test(e.message));
  assert.throws(() => runtime.clientOptions('cohere'), RangeError);
  await runtime.close();
});

test('CommonJS and ESM entry points export the same classes', () => {
  const cjs = createRequire(import.meta.url)('..');
  assert.equal(cjs.SafetyRuntime, SafetyRuntime);
  assert.equal(cjs.BudgetExceededError, esm.BudgetExceededError);
  assert.ok(new cjs.PiiBlockedError('x') instanceof esm.PolicyViolationError);
  assert.equal(new cjs.PiiBlockedError('x').name, 'PiiBlockedError');
});
