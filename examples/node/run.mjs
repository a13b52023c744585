// One command: `npm start` (or `node run.mjs`). Starts the shared fake LLM
// provider, scripts a model that asks for two tool calls (one the policy
// denies), and runs the agent under a SafetyRuntime with a $1 budget.

import { readFile } from 'node:fs/promises';

import { SafetyRuntime, ToolDeniedError } from 'iron-cage';
// The test helper that starts the fake (node built-ins only).
import { FakeProvider } from '../../bindings/node/test/fake.mjs';

import { agent } from './agent.mjs';

const fake = await FakeProvider.start();
const key = fake.newKey();
await fake.script(key, [
  { tool_call: { name: 'read_file', arguments: { path: new URL('README.md', import.meta.url).pathname } } },
  { tool_call: { name: 'read_file', arguments: { path: '/etc/shadow' } } },
  { reply: 'The README explains how to run this example; /etc/shadow was off limits.' },
]);

const runtime = new SafetyRuntime({
  budgetUsd: 1,
  upstreams: { openai: fake.url },
  apiKeys: { openai: key },
  // `action: 'alert'`: a denied tool call the *model* asks for is reported,
  // not refused by the gateway, so the agent sees the denial when it tries
  // to run the tool (the default, 'block', refuses the model's answer).
  tools: { allow: ['read_file'], restrictedPaths: ['/etc', '~/.ssh'], action: 'alert' },
});

// Every tool call is checked by the runtime's tool policy before it runs.
const readFileTool = runtime.tool('read_file', async ({ path }) => (await readFile(path, 'utf8')).slice(0, 200));

try {
  const answer = await runtime.run(() =>
    agent('Summarise the README, then check /etc/shadow.', async (name, args) => {
      try {
        const output = await readFileTool(args);
        console.log(`tool ${name}(${args.path}): allowed`);
        return output;
      } catch (e) {
        if (e instanceof ToolDeniedError) console.log(`tool ${name}(${args.path}): denied (${e.rule})`);
        throw e;
      }
    }),
  );
  console.log(`answer: ${answer}`);
  console.log(`spent: $${runtime.spentUsd.toFixed(6)} of $${runtime.budgetUsd}`);
} finally {
  await runtime.close();
  fake.stop();
}
