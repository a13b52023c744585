// Token handling on its own server with 5-second access tokens (long enough that a
// refreshed token survives a slow machine until its retried call): the app
// refreshes (single-use refresh tokens, rotated) and carries on; a revoked
// session sends the user back to the sign-in form.
import { expect, test } from "@playwright/test";
import { startServers } from "../scripts/servers.mjs";

let server: Awaited<ReturnType<typeof startServers>>;

test.beforeAll(async () => {
  server = await startServers(["--access-token-ttl-secs", "5"]);
});
test.afterAll(async () => server?.stop());

// JWT expiry has whole-second resolution and a token is still valid in the
// second its `exp` names, so 5-second tokens may live almost 6 seconds.
const OUTLIVE_ACCESS_TOKEN_MS = 6_500;

const refreshToken = (page: import("@playwright/test").Page) => page.evaluate(() => sessionStorage.getItem("iron.refresh"));

test("expired access tokens are refreshed transparently; a revoked session signs out", async ({ page }) => {
  await page.goto(`${server.url}/dashboard/register`);
  await page.getByLabel("Name").fill("Tess Token");
  await page.getByLabel("Email").fill("tess@example.com");
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "No projects yet" })).toBeVisible();
  const first = await refreshToken(page);
  expect(first).toBeTruthy();

  await page.waitForTimeout(OUTLIVE_ACCESS_TOKEN_MS); // the access token expires
  await page.getByRole("link", { name: "Create your first project" }).click();
  await page.getByLabel("Name").fill("After expiry");
  await page.getByLabel("Budget (USD)").fill("10");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "After expiry" })).toBeVisible();
  const second = await refreshToken(page);
  expect(second).toBeTruthy();
  expect(second).not.toBe(first);

  // Log out elsewhere (the API revokes the whole refresh-token family), then
  // let the access token expire: the next call cannot refresh and signs out.
  const res = await fetch(`${server.url}/api/v1/auth/logout`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ refresh_token: second }),
  });
  expect(res.status).toBe(204);
  await page.waitForTimeout(OUTLIVE_ACCESS_TOKEN_MS);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Iron Cage" })).toBeVisible();
  expect(await refreshToken(page)).toBeNull();
});
