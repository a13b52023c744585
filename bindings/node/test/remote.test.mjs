// Remote mode: a real `iron serve`, an `ic_` key, the official `openai`
// client inside runtime.run(), and the fake provider behind the server's
// vault key. The server's budget and kill switch reach the agent as typed
// errors before the provider sees the call.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import OpenAI from 'openai';

import { BudgetExceededError, IronCageError, KeyRevokedError, ProjectPausedError, SafetyRuntime } from '../index.mjs';
import { FakeProvider } from './fake.mjs';
import { IronServer } from './iron-server.mjs';

let fake;
let server;
before(async () => {
  fake = await FakeProvider.start();
  server = await IronServer.start(fake.url);
});
after(() => {
  server?.stop();
  fake?.stop();
});

const ask = (text) =>
  new OpenAI({ maxRetries: 0 }).chat.completions.create({
    model: 'gpt-4o',
    max_tokens: 400,
    messages: [{ role: 'user', content: text }],
  });

/** Calls until one is refused (the control stream delivers a revoke or a
 *  pause within a bound); returns the refusal. */
async function untilRefused(runtime) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await runtime.run(() => ask('after'));
    } catch (e) {
      return e;
    }
    assert.ok(Date.now() < deadline, 'the refusal never reached the agent');
    await sleep(50);
  }
}

/** The server refuses to settle for a revoked key or a paused project:
 *  close() stops the gateway anyway and reports the refusal. */
async function closeRefused(runtime, cls) {
  await assert.rejects(runtime.close(), cls);
  assert.equal(runtime.closed, true);
}

test('revoking the key mid-run: KeyRevokedError before the provider', async () => {
  const providerKey = fake.newKey();
  const { keyId, icKey } = await server.projectWithKey('10', providerKey);
  const runtime = await SafetyRuntime.create({ icKey, serverUrl: server.url });
  try {
    assert.equal(runtime.budgetUsd, undefined);
    await runtime.run(() => ask('before'));
    assert.equal(await fake.count(providerKey), 1, 'the server vault key reached the provider');
    await server.call('POST', `/api/v1/keys/${keyId}/revoke`, {});
    const refusal = await untilRefused(runtime);
    assert.ok(refusal instanceof KeyRevokedError, String(refusal));
    assert.ok(refusal.cause instanceof OpenAI.APIError);
    const seen = await fake.count(providerKey);
    await assert.rejects(runtime.run(() => ask('again')), KeyRevokedError);
    assert.equal(await fake.count(providerKey), seen, 'refused before the provider');
  } finally {
    await closeRefused(runtime, KeyRevokedError);
  }
});

test("the server's budget: calls pass until it is used, then BudgetExceededError", async () => {
  const providerKey = fake.newKey();
  await fake.script(providerKey, [{ reply: 'word '.repeat(2000), sticky: true }]);
  const { icKey } = await server.projectWithKey('0.02', providerKey);
  const runtime = await SafetyRuntime.create({ icKey, serverUrl: server.url });
  let ok = 0;
  let refused = 0;
  try {
    for (let i = 0; i < 10; i += 1) {
      try {
        await runtime.run(() => ask(`call ${i}`));
        assert.equal(refused, 0, 'a call succeeded after a refusal');
        ok += 1;
      } catch (e) {
        assert.ok(e instanceof BudgetExceededError, String(e));
        refused += 1;
      }
    }
    assert.ok(ok >= 2 && ok <= 5 && ok + refused === 10, `ok ${ok}, refused ${refused}`);
    assert.equal(await fake.count(providerKey), ok, 'refusals never reached the provider');
  } finally {
    await runtime.close();
  }
});

test('pausing the project: ProjectPausedError', async () => {
  const providerKey = fake.newKey();
  const { projectId, icKey } = await server.projectWithKey('10', providerKey);
  const runtime = await SafetyRuntime.create({ icKey, serverUrl: server.url });
  try {
    await runtime.run(() => ask('before'));
    await server.call('POST', `/api/v1/projects/${projectId}/pause`, {});
    const refusal = await untilRefused(runtime);
    assert.ok(refusal instanceof ProjectPausedError, String(refusal));
  } finally {
    await closeRefused(runtime, ProjectPausedError);
  }
});

test('a bad key or an unreachable server fails the start closed', async () => {
  await assert.rejects(
    SafetyRuntime.create({ icKey: 'ic_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', serverUrl: server.url }),
    (e) => e instanceof KeyRevokedError && e.code === 'unauthenticated',
  );
  await assert.rejects(
    SafetyRuntime.create({ icKey: 'ic_nothing_listens', serverUrl: 'http://127.0.0.1:9' }),
    (e) => e instanceof IronCageError && e.kind === 'provider_unavailable',
  );
});
