// A real `iron serve` (SQLite in a temp dir) for remote-mode tests, started
// as tests/python/test_remote_mode.py does, with an admin session to set up
// projects, vault keys and `ic_` keys through the REST API.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

import { binary } from './fake.mjs';

export class IronServer {
  constructor(proc, url, dir, token) {
    this.proc = proc;
    this.url = url;
    this.dir = dir;
    this.token = token;
  }

  /** Starts `iron serve` forwarding OpenAI calls to `providerUrl`, and registers an admin. */
  static async start(providerUrl) {
    const dir = mkdtempSync(path.join(tmpdir(), 'iron-node-'));
    const env = { ...process.env };
    delete env.IRON_MASTER_KEY;
    const args = [
      'serve', '--bind', '127.0.0.1:0',
      '--database-url', path.join(dir, 'iron.db'),
      '--master-key-file', path.join(dir, 'iron.key'),
      '--provider-base-url', `openai=${providerUrl}`,
    ];
    const proc = spawn(binary('iron', 'iron-server'), args, {
      env,
      stdio: ['ignore', 'pipe', openSync(path.join(dir, 'server.log'), 'a')],
    });
    const lines = readline.createInterface({ input: proc.stdout });
    const [line] = await Promise.race([
      once(lines, 'line'),
      once(proc, 'exit').then(([code]) => {
        throw new Error(`iron serve exited early (code ${code}); see ${dir}/server.log`);
      }),
    ]);
    const prefix = 'iron-server listening on ';
    if (!line.startsWith(prefix)) throw new Error(`iron serve did not start: ${line}`);
    proc.stdout.resume(); // keep draining so the server never blocks on a full pipe
    const server = new IronServer(proc, line.slice(prefix.length).trim(), dir, undefined);
    const admin = await server.call('POST', '/api/v1/auth/register', {
      email: 'admin@example.com',
      name: 'Admin',
      password: 'correct horse battery',
    });
    server.token = admin.access_token;
    return server;
  }

  async call(method, route, body) {
    const headers = { 'content-type': 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const resp = await fetch(`${this.url}${route}`, { method, headers, body: body && JSON.stringify(body) });
    const text = await resp.text();
    if (!resp.ok) throw new Error(`${method} ${route}: ${resp.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  /** A project with `budgetUsd` (a decimal string) and `providerKey` as its
   *  OpenAI credential; returns `{ projectId, keyId, icKey }`. */
  async projectWithKey(budgetUsd, providerKey) {
    const project = await this.call('POST', '/api/v1/projects', { name: `p-${providerKey}`, budget_usd: budgetUsd });
    await this.call('POST', `/api/v1/projects/${project.id}/providers`, { provider: 'openai', api_key: providerKey });
    const key = await this.call('POST', `/api/v1/projects/${project.id}/keys`, { name: 'agent' });
    return { projectId: project.id, keyId: key.id, icKey: key.key };
  }

  stop() {
    this.proc.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
