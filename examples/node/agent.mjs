// A small tool-using agent written against the official `openai` client,
// with no Iron Cage code in it: SafetyRuntime.run() governs it from outside.

import OpenAI from 'openai';

const tools = [
  {
    type: 'function',
    function: {
      name: 'read_file',
      description: 'Read a text file',
      parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
    },
  },
];

/**
 * Asks the model, runs the tools it requests through `runTool(name, args)`,
 * and returns the final answer.
 */
export async function agent(task, runTool, { model = 'gpt-4o-mini', maxTurns = 4 } = {}) {
  const client = new OpenAI({ maxRetries: 0 }); // base URL and key come from the environment
  const messages = [{ role: 'user', content: task }];
  for (let turn = 0; turn < maxTurns; turn += 1) {
    const reply = await client.chat.completions.create({ model, messages, tools, max_tokens: 200 });
    const message = reply.choices[0].message;
    messages.push(message);
    if (!message.tool_calls?.length) return message.content;
    for (const call of message.tool_calls) {
      let output;
      try {
        output = await runTool(call.function.name, JSON.parse(call.function.arguments || '{}'));
      } catch (e) {
        output = `error: ${e.message}`;
      }
      messages.push({ role: 'tool', tool_call_id: call.id, content: String(output) });
    }
  }
  return '(no answer within the turn limit)';
}
