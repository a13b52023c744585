// The client is checked against the running server's OpenAPI document: the
// committed generated types must match it, and every path the source calls
// must exist (the `ops` analytics/alerts/settings API may be absent: the
// pages show "not available" then, see workflows.spec.ts).
import { expect, test } from "@playwright/test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { serverUrl } from "./helpers";

const SRC = fileURLToPath(new URL("../src", import.meta.url));
const OPTIONAL = [/^\/analytics\//, /^\/activity$/, /^\/alerts/, /^\/settings$/, /^\/webhooks/];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** `/projects/${p.id}/keys` → `/projects/{}/keys`, for every API call in the source. */
function calledPaths(): Set<string> {
  const calls = new Set<string>();
  const pattern = /\b(?:get|post|put|patch|del|all|api|raw)(?:<[^()]*?>)?\(\s*(?:"[A-Z]+",\s*)?(?:withQuery\()?[`"](\/[^`"?]*)/g;
  for (const file of sources(SRC)) {
    for (const m of readFileSync(file, "utf8").matchAll(pattern)) {
      calls.add(m[1].replace(/\$\{[^}]*\}/g, "{}"));
    }
  }
  return calls;
}

async function openapi() {
  const res = await fetch(`${serverUrl()}/api/openapi.json`);
  expect(res.status).toBe(200);
  return res.json();
}

test("the committed API types are generated from this server's OpenAPI document", async () => {
  const doc = await openapi();
  const generated = astToString(await openapiTS(doc));
  const committed = readFileSync(join(SRC, "api/schema.d.ts"), "utf8");
  // Only the banner comment differs between the CLI and the library.
  const body = (text: string) => text.slice(text.indexOf("export"));
  expect(body(generated), "run `npm run gen:api` against a current server").toBe(body(committed));
});

test("every API path the dashboard calls exists in the OpenAPI document", async () => {
  const doc = await openapi();
  const known = Object.keys(doc.paths).map((p) => p.replace(/^\/api\/v1/, "").replace(/\{[^}]+\}/g, "{}"));
  const calls = [...calledPaths()];
  expect(calls.length).toBeGreaterThan(25);
  const missing = calls.filter((c) => !known.includes(c) && !OPTIONAL.some((o) => o.test(c)));
  expect(missing).toEqual([]);
});
