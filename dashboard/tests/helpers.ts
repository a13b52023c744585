import { expect, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/dashboard", import.meta.url));
mkdirSync(ARTIFACTS, { recursive: true });

export const serverUrl = () => process.env.IRON_URL!;
export const fakeUrl = () => process.env.FAKE_URL!;

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The error shown next to a form field (ids from ui.tsx's Field). */
export const fieldError = (page: Page, name: string) => page.locator(`#f-${name}-err`);

/** Does this server have the route? (the `ops` API may not have landed) */
export async function hasRoute(path: string): Promise<boolean> {
  const res = await fetch(serverUrl() + path);
  if (res.status !== 404) return true;
  const body = await res.json().catch(() => ({}));
  return !/^route /.test(body?.error?.message ?? "");
}

export async function go(page: Page, path: string) {
  await page.goto(serverUrl() + "/dashboard" + path);
}

export async function expectNoHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);
}

/**
 * Runs SQL on the server's SQLite file (python3's sqlite3; Node 20 has none).
 * Only for rows no admin workflow can create yet: usage lines and alerts come
 * from SDK traffic, as in iron-server's own analytics tests.
 */
export function seedSql(statement: string) {
  const script = "import sqlite3,sys; c=sqlite3.connect(sys.argv[1], timeout=10); c.execute(sys.argv[2]); c.commit()";
  execFileSync("python3", ["-c", script, process.env.IRON_DB!, statement]);
}
