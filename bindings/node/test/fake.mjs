// The shared fake LLM provider (the Rust bin `fake-provider`), started the
// way tests/python/conftest.py does: built with cargo (or FAKE_PROVIDER_BIN),
// run with --exit-on-stdin-eof, its URL read from its first stdout line.
// Each test uses its own API key: the fake keeps scripts and logs per key.

import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function targetDir() {
  if (process.env.CARGO_TARGET_DIR) return path.resolve(REPO, process.env.CARGO_TARGET_DIR);
  const meta = execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], {
    cwd: REPO,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(meta).target_directory;
}

export function binary(name, pkg = 'iron-testkit') {
  const explicit = process.env[`${name.toUpperCase().replace(/-/g, '_')}_BIN`];
  if (explicit) return explicit;
  execFileSync('cargo', ['build', '-q', '-p', pkg, '--bin', name], { cwd: REPO, stdio: 'inherit' });
  return path.join(targetDir(), 'debug', name);
}

export class FakeProvider {
  constructor(proc, url) {
    this.proc = proc;
    this.url = url;
  }

  static async start() {
    const proc = spawn(binary('fake-provider'), ['--exit-on-stdin-eof'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = readline.createInterface({ input: proc.stdout });
    const [line] = await Promise.race([
      once(lines, 'line'),
      once(proc, 'exit').then(([code]) => {
        throw new Error(`fake-provider exited early (code ${code})`);
      }),
    ]);
    lines.close();
    return new FakeProvider(proc, JSON.parse(line).url);
  }

  /** A fresh `sk-test-...` key: a tenant of its own. */
  newKey() {
    return `sk-test-${randomUUID().replace(/-/g, '')}`;
  }

  async #control(method, suffix, body) {
    const resp = await fetch(`${this.url}/_fake/keys/${suffix}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!resp.ok) throw new Error(`fake control ${method} ${suffix}: ${resp.status} ${await resp.text()}`);
    return resp.status === 204 ? null : resp.json();
  }

  script(key, entries) {
    return this.#control('POST', `${key}/script`, entries);
  }

  requests(key) {
    return this.#control('GET', `${key}/requests`);
  }

  async count(key) {
    return (await this.#control('GET', `${key}/stats`)).requests;
  }

  stop() {
    this.proc.stdin.end();
    this.proc.kill();
  }
}
