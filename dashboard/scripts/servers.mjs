// Starts the fake LLM provider and a real `iron serve` on a fresh SQLite
// database, from the binaries cargo built into CARGO_TARGET_DIR (default as in
// scripts/env.sh). Used by the browser tests and scripts/measure.mjs.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const target = process.env.CARGO_TARGET_DIR ?? join(homedir(), ".cache/iron-cage/target");

function binary(name) {
  const path = join(target, "debug", name);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`cargo build -p iron-server -p iron-testkit\` first`);
  return path;
}

/** Spawns `cmd` and resolves with the child and the first stdout line matching `pattern`. */
function start(cmd, args, pattern) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, RUST_LOG: "warn" } });
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start in 30 s`)), 30_000);
    child.on("exit", (code) => reject(new Error(`${cmd} exited with ${code}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const m = line.match(pattern);
      if (m) {
        clearTimeout(timer);
        resolve([child, m]);
      }
    });
  });
}

/** `extraArgs` go to `iron serve`, e.g. a short access-token lifetime. */
export async function startServers(extraArgs = []) {
  const dir = mkdtempSync(join(tmpdir(), "iron-dashboard-"));
  const [fake, fakeMatch] = await start(binary("fake-provider"), ["--exit-on-stdin-eof"], /"url":"([^"]+)"/);
  const fakeUrl = fakeMatch[1];
  const overrides = ["openai", "anthropic", "mistral"].flatMap((p) => ["--provider-base-url", `${p}=${fakeUrl}`]);
  const [server, serverMatch] = await start(
    binary("iron"),
    ["serve", "--bind", "127.0.0.1:0", "--database-url", join(dir, "iron.db"), "--master-key-file", join(dir, "iron.key"), ...overrides, ...extraArgs],
    /listening on (http:\/\/\S+)/,
  );
  const url = serverMatch[1];
  const page = await (await fetch(`${url}/dashboard/`)).text();
  if (page.includes("not built")) throw new Error("iron was compiled without dashboard/dist: run `npm run build`, then rebuild iron-server");
  const stop = async () => {
    server.kill("SIGTERM");
    fake.stdin.end();
    await new Promise((r) => server.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, fakeUrl, database: join(dir, "iron.db"), stop };
}
