// Prints the bundle size (gzip -9 of every file in dist/) and the first load
// time of /dashboard on localhost in Debian's Chromium, cold cache each run:
//   npm run build && cargo build -p iron-server && node scripts/measure.mjs
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { startServers } from "./servers.mjs";

const RUNS = 7;
const dist = new URL("../dist", import.meta.url).pathname;
const files = (dir) => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
let raw = 0;
let gz = 0;
for (const f of files(dist)) {
  const data = readFileSync(f);
  raw += data.length;
  gz += gzipSync(data, { level: 9 }).length;
}
console.log(`bundle: ${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzipped (${files(dist).length} files)`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const { url, stop } = await startServers();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium" });
try {
  // Cold: a new context (empty cache) per run, until the sign-in form is on screen.
  const cold = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/dashboard/`);
    await page.getByRole("heading", { name: "Sign in to Iron Cage" }).waitFor();
    cold.push(await page.evaluate(() => performance.now()));
    await context.close();
  }
  // Signed in: a reload of the projects page, until the project list is on screen
  // (includes the token refresh and the API calls).
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}/dashboard/register`);
  await page.getByLabel("Name").fill("Bench Admin");
  await page.getByLabel("Email").fill("bench@example.com");
  await page.getByLabel("Password").fill("a long benchmark password");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "No projects yet" }).waitFor();
  const warm = [];
  for (let i = 0; i < RUNS; i++) {
    await page.reload();
    await page.getByRole("heading", { name: "No projects yet" }).waitFor();
    warm.push(await page.evaluate(() => performance.now()));
  }
  const fmt = (xs) => `median ${median(xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (${xs.length} runs)`;
  console.log(`first load of /dashboard (cold cache, to sign-in form): ${fmt(cold)}`);
  console.log(`reload of /dashboard/projects signed in (to project list): ${fmt(warm)}`);
} finally {
  await browser.close();
  await stop();
}
