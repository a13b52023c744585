// Every admin workflow of the seeds, as a person does it, in one browser
// session against a real `iron serve` (see global-setup.ts). The tests run in
// order and build on each other: first-run registration makes the admin.
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { expectNoHorizontalScroll, fakeUrl, fieldError, go, hasRoute, seedSql, serverUrl, shot } from "./helpers";

test.describe.configure({ mode: "serial" });

const ADMIN = { name: "Ada Admin", email: "ada@example.com", password: "correct horse battery" };
const DEV = { name: "Dev Eloper", email: "dev@example.com", password: "another long passphrase" };
const OPENAI_SECRET = "sk-test-openai-0123456789abcdefWXYZ";
const ANTHROPIC_SECRET = "sk-ant-test-9876543210zyxwvuQRST";

let context: BrowserContext;
let page: Page;
let devContext: BrowserContext;
let dev: Page;
let inviteLink = "";
/** The "Dev 1" IC key, for the SDK calls that show an edit taking effect. */
let dev1Key = "";

/** One SDK protocol call with an IC key, as iron-core's client makes it. */
async function sdk(method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${serverUrl()}/api/v1/sdk${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => ({})) };
}

const handshake = (key: string) => sdk("POST", "/sessions", key, { client: "playwright", hostname: "ci" });

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  page = await context.newPage();
});

test.afterAll(async () => {
  await context?.close();
  await devContext?.close();
});

async function signIn(p: Page, email: string, password: string) {
  await p.getByLabel("Email").fill(email);
  await p.getByLabel("Password").fill(password);
  await p.getByRole("button", { name: "Sign in" }).click();
}

async function openProject(name: string, tab?: string) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Projects" }).click();
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  if (tab) await page.getByRole("navigation", { name: "Project sections" }).getByRole("link", { name: tab }).click();
}

test("first run: register the first admin, see field errors, sign out, wrong password, sign in", async () => {
  await go(page, "/");
  await expect(page.getByRole("heading", { name: "Sign in to Iron Cage" })).toBeVisible();
  await shot(page, "01-login");
  await page.getByRole("link", { name: "Create the first admin account" }).click();
  await page.getByLabel("Name").fill(ADMIN.name);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(fieldError(page, "password")).toContainText("10");
  await shot(page, "02-register-error");
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "No projects yet" })).toBeVisible();
  await expect(page.getByText("(admin)")).toBeVisible();
  await shot(page, "03-projects-empty");

  await page.getByRole("button", { name: "Log out" }).click();
  await signIn(page, ADMIN.email, "wrong password!!");
  await expect(page.getByRole("alert")).toContainText("wrong email or password");
  await shot(page, "04-login-wrong-password");
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();

  // A reload keeps the tab's session (refresh token in sessionStorage).
  await page.reload();
  await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();
});

test("projects: create, a bad budget and a duplicate name are shown on their fields", async () => {
  await page.getByRole("link", { name: "Create your first project" }).click();
  await page.getByLabel("Name").fill("Production Agent");
  await page.getByLabel("Budget (USD)").fill("lots");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(fieldError(page, "budget_usd")).toContainText("amount in dollars");
  await shot(page, "05-new-project-error");
  await page.getByLabel("Budget (USD)").fill("500");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Production Agent" })).toBeVisible();
  await expect(page.getByText("$0.00 / $500.00")).toBeVisible();

  await page.getByRole("link", { name: "Projects", exact: true }).first().click();
  await page.getByRole("link", { name: "+ Create project" }).click();
  await page.getByLabel("Name").fill("production agent");
  await page.getByLabel("Budget (USD)").fill("50");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(fieldError(page, "name")).toHaveText("a project with this name already exists");
  await shot(page, "06-new-project-duplicate");
  await page.getByLabel("Name").fill("Research");
  await page.getByLabel("Budget (USD)").fill("100");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Research" })).toBeVisible();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Projects" }).click();
  await expect(page.getByRole("progressbar")).toHaveCount(2);
  await shot(page, "07-projects");
});

test("project detail: budget, period, thresholds, models and policies; pause and resume", async () => {
  await openProject("Production Agent");
  const form = page.getByRole("form", { name: "Project settings" });
  await form.getByLabel("Warn at (%)").fill("95");
  await form.getByLabel("Stop at (%)").fill("90");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(fieldError(page, "soft_threshold_pct")).toContainText("hard_threshold_pct");

  await form.getByLabel("Budget (USD)").fill("750");
  await form.getByLabel("Budget period").selectOption("weekly");
  await form.getByLabel("Warn at (%)").fill("80");
  await form.getByLabel("Stop at (%)").fill("100");
  await form.getByLabel("Allowed models (empty: any)").fill("gpt-4o-mini, claude-haiku-4-5");
  await form.getByLabel("PII handling").selectOption("block");
  await form.getByLabel("Denied tools (globs)").fill("shell.*");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("$0.00 / $750.00")).toBeVisible();
  const facts = page.locator("dl.facts");
  await expect(facts).toContainText("weekly");
  await expect(facts).toContainText("warn at 80%, stop at 100%");
  await expect(facts).toContainText("gpt-4o-mini, claude-haiku-4-5");
  await expect(facts).toContainText("block");
  await expect(facts).toContainText("deny shell.*");

  await page.getByRole("button", { name: "Pause project" }).click();
  await expect(page.locator(".page-head .status")).toHaveText("paused");
  await page.getByRole("button", { name: "Resume project" }).click();
  await expect(page.locator(".page-head .status")).toHaveText("active");
  await shot(page, "08-project-detail");
});

test("vault: add OpenAI and Anthropic keys (masked), test connection, a failing key, rotate, remove", async () => {
  await openProject("Production Agent", "Vault");
  await expect(page.getByRole("heading", { name: "No provider keys in the vault" })).toBeVisible();
  const add = page.getByRole("form", { name: "Add provider key" });
  await add.getByLabel("Provider").selectOption("openai");
  await add.getByLabel("API key").fill(OPENAI_SECRET);
  await add.getByRole("button", { name: "Add to vault" }).click();
  const openai = page.locator('li[data-provider="openai"]');
  await expect(openai).toBeVisible();
  await add.getByLabel("Provider").selectOption("anthropic");
  await add.getByLabel("API key").fill(ANTHROPIC_SECRET);
  await add.getByRole("button", { name: "Add to vault" }).click();

  const anthropic = page.locator('li[data-provider="anthropic"]');
  await expect(openai.getByLabel("masked key")).toHaveText(/WXYZ$/);
  await expect(anthropic).toBeVisible();
  // The secret never comes back, only its masked form.
  expect(await page.content()).not.toContain(OPENAI_SECRET);
  expect(await page.content()).not.toContain(ANTHROPIC_SECRET);

  await openai.getByRole("button", { name: "Test connection" }).click();
  await expect(openai.getByRole("status")).toContainText("Connection works");

  // The provider refuses the Anthropic key: the admin sees why.
  await fetch(`${fakeUrl()}/_fake/keys/${ANTHROPIC_SECRET}/script`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ status: 401 }),
  });
  await anthropic.getByRole("button", { name: "Test connection" }).click();
  await expect(anthropic.getByRole("status")).toContainText("Connection failed (HTTP 401)");
  await shot(page, "09-vault");

  await anthropic.getByRole("button", { name: "Rotate" }).click();
  await anthropic.getByLabel("New API key").fill("sk-ant-test-rotated-0000LMNO");
  await anthropic.getByRole("button", { name: "Save new key" }).click();
  await expect(anthropic.getByLabel("masked key")).toHaveText(/LMNO$/);
  await anthropic.getByRole("button", { name: "Test connection" }).click();
  await expect(anthropic.getByRole("status")).toContainText("Connection works");

  page.once("dialog", (d) => d.accept());
  await anthropic.getByRole("button", { name: "Remove" }).click();
  await expect(anthropic).toHaveCount(0);
  await expect(openai).toBeVisible();
});

test("keys: generate (shown once, copy), limit, allowlist, expiry; bad allowlist; suspend, resume, revoke", async () => {
  await openProject("Production Agent", "IC keys");
  await expect(page.getByRole("heading", { name: "No IC keys yet" })).toBeVisible();
  const form = page.getByRole("form", { name: "Generate IC key" });
  await form.getByLabel("Key name").fill("Dev 1");
  await form.getByLabel("IP allowlist (CIDRs, optional)").fill("10.0.0.0/8, not-an-ip");
  await form.getByRole("button", { name: "Generate key" }).click();
  await expect(fieldError(page, "ip_allowlist")).toContainText("not-an-ip");

  await form.getByLabel("IP allowlist (CIDRs, optional)").fill("10.0.0.0/8");
  await form.getByLabel("Spend limit (USD, optional)").fill("25");
  await form.getByLabel("Expires (optional)").fill("2099-01-31T12:00");
  await form.getByRole("button", { name: "Generate key" }).click();
  const secret = page.getByTestId("new-key");
  await expect(secret).toHaveText(/^ic_/);
  await expect(page.getByText("It is shown only once")).toBeVisible();
  const key = (await secret.textContent())!;
  dev1Key = key;
  await page.getByRole("button", { name: "Copy key" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await shot(page, "10-key-created");
  await page.getByRole("button", { name: "I have stored the key" }).click();
  await expect(page.getByTestId("new-key")).toHaveCount(0);
  expect(await page.content()).not.toContain(key);

  const dev1 = page.locator("tr", { hasText: "Dev 1" });
  await expect(dev1).toContainText("$0.00 / $25.00");
  await expect(dev1).toContainText("10.0.0.0/8");
  await expect(dev1).toContainText("2099");
  await form.getByLabel("Key name").fill("CI/CD");
  await form.getByRole("button", { name: "Generate key" }).click();
  await page.getByRole("button", { name: "I have stored the key" }).click();

  await dev1.getByRole("button", { name: "Suspend" }).click();
  await expect(dev1.locator(".status")).toHaveText("suspended");
  await dev1.getByRole("button", { name: "Resume" }).click();
  await expect(dev1.locator(".status")).toHaveText("active");
  const ci = page.locator("tr", { hasText: "CI/CD" });
  page.once("dialog", (d) => d.accept());
  await ci.getByRole("button", { name: "Revoke" }).click();
  await expect(ci.locator(".status")).toHaveText("revoked");
  await expect(ci.getByRole("button")).toHaveCount(0);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Keys" }).click();
  await expect(page.locator("tr", { hasText: "CI/CD" }).locator(".status")).toHaveText("revoked");
  await expect(page.locator("tr", { hasText: "Dev 1" }).getByRole("link", { name: "Production Agent" })).toBeVisible();
  await shot(page, "11-keys");
});

test("keys: edit allowlist and limit; the SDK sees it at once; a limit below what the key holds is refused", async () => {
  // Dev 1 only works from 10.0.0.0/8; this test runs on 127.0.0.1.
  expect((await handshake(dev1Key)).body.error.code).toBe("IP_NOT_ALLOWED");
  await openProject("Production Agent", "IC keys");
  const dev1 = page.locator("tr", { hasText: "Dev 1" });
  // Keyboard: the Edit button opens the form with focus in it; Escape closes it.
  await dev1.getByRole("button", { name: "Edit key Dev 1" }).focus();
  await page.keyboard.press("Enter");
  const edit = page.getByRole("form", { name: "Edit key Dev 1" });
  await expect(edit.getByLabel("Key name")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(edit).toHaveCount(0);

  await dev1.getByRole("button", { name: "Edit key Dev 1" }).click();
  await expect(edit.getByLabel("Spend limit (USD, optional)")).toHaveValue("25.00");
  await edit.getByLabel("IP allowlist (CIDRs, optional)").fill("10.0.0.0/8, nope");
  await edit.getByRole("button", { name: "Save key" }).click();
  await expect(fieldError(page, "ip_allowlist")).toContainText("nope");
  await edit.getByLabel("IP allowlist (CIDRs, optional)").fill("10.0.0.0/8, 127.0.0.1");
  await edit.getByRole("button", { name: "Save key" }).click();
  await expect(edit).toHaveCount(0);
  await expect(dev1).toContainText("127.0.0.1/32");

  const opened = await handshake(dev1Key);
  expect(opened.status).toBe(201);
  const session = opened.body.session_id;
  const lease = await sdk("POST", "/leases", dev1Key, { session_id: session, want_micros: 5_000_000, idempotency_key: crypto.randomUUID() });
  expect(lease.body.amount_micros).toBe(5_000_000);

  // $5 is held by the open lease: a $1 limit is refused, next to its field.
  await page.reload();
  await expect(dev1).toContainText("$0.00 + $5.00 held / $25.00");
  await dev1.getByRole("button", { name: "Edit key Dev 1" }).click();
  await edit.getByLabel("Spend limit (USD, optional)").fill("1");
  await edit.getByRole("button", { name: "Save key" }).click();
  await expect(fieldError(page, "spend_limit_usd")).toContainText("below what the key already spent");
  await shot(page, "11b-key-edit-error");
  await edit.getByLabel("Spend limit (USD, optional)").fill("6");
  await edit.getByRole("button", { name: "Save key" }).click();
  await expect(dev1).toContainText("$0.00 + $5.00 held / $6.00");
  // The new limit holds at once: only $1 more can be leased.
  const capped = await sdk("POST", "/leases", dev1Key, { session_id: session, want_micros: 5_000_000, idempotency_key: crypto.randomUUID() });
  expect(capped.body.amount_micros).toBe(1_000_000);
  const refused = await sdk("POST", "/leases", dev1Key, { session_id: session, want_micros: 1, idempotency_key: crypto.randomUUID() });
  expect([refused.status, refused.body.error.code, refused.body.error.fields.scope]).toEqual([402, "BUDGET_EXCEEDED", "key"]);
  for (const l of [lease, capped]) {
    const settled = await sdk("POST", `/leases/${l.body.lease_id}/settle`, dev1Key, { idempotency_key: crypto.randomUUID(), spent_micros: 0 });
    expect(settled.status).toBe(200);
  }
  expect((await sdk("DELETE", `/sessions/${session}`, dev1Key)).status).toBe(204);

  await dev1.getByRole("button", { name: "Edit key Dev 1" }).click();
  await edit.getByLabel("Spend limit (USD, optional)").fill("25");
  await edit.getByLabel("Expires (optional)").fill("");
  await edit.getByRole("button", { name: "Save key" }).click();
  await expect(dev1).toContainText("$0.00 / $25.00");
  await expect(dev1).toContainText("never");
  // A revoked key has nothing left to edit.
  await expect(page.locator("tr", { hasText: "CI/CD" }).getByRole("button", { name: /Edit/ })).toHaveCount(0);
});

test("users: invite a developer, the invitee registers, duplicate invite, role change, project member", async ({ browser }) => {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  const invite = page.getByRole("form", { name: "Invite a user" });
  await invite.getByLabel("Invite by email").fill(ADMIN.email);
  await invite.getByRole("button", { name: "Invite" }).click();
  await expect(fieldError(page, "email")).toContainText("already exists");
  await invite.getByLabel("Invite by email").fill(DEV.email);
  await invite.getByRole("button", { name: "Invite" }).click();
  inviteLink = (await page.getByTestId("invite-link").textContent())!;
  expect(inviteLink).toContain("/dashboard/register?invite=inv_");

  devContext = await browser.newContext();
  dev = await devContext.newPage();
  await dev.goto(inviteLink);
  await expect(dev.getByLabel("Invitation token (not needed for the first admin)")).toHaveValue(/^inv_/);
  await dev.getByLabel("Name").fill(DEV.name);
  await dev.getByLabel("Email").fill(DEV.email);
  await dev.getByLabel("Password").fill(DEV.password);
  await dev.getByRole("button", { name: "Create account" }).click();
  await expect(dev.getByText("(developer)")).toBeVisible();
  // Developers do not get the admin pages.
  await expect(dev.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);

  await page.reload();
  const row = page.locator(`tr[data-user="${DEV.email}"]`);
  const setRole = async (role: string) => {
    const saved = page.waitForResponse((r) => r.url().endsWith("/role") && r.ok());
    await row.getByLabel(`Role of ${DEV.email}`).selectOption(role);
    await saved;
    await page.reload();
  };
  await setRole("admin");
  await expect(row.getByLabel(`Role of ${DEV.email}`)).toHaveValue("admin");
  await setRole("developer");
  await expect(row.getByLabel(`Role of ${DEV.email}`)).toHaveValue("developer");
  await shot(page, "12-users");

  await openProject("Production Agent", "Members");
  await page.getByLabel("Add a member").selectOption({ label: `${DEV.name} (${DEV.email})` });
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.locator("ul.plain")).toContainText(DEV.email);
  await shot(page, "13-members");
});

test("budget requests: bad and over-limit amounts, approve raises the budget, deny needs a reason", async () => {
  await dev.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Projects" }).click();
  await dev.getByRole("link", { name: "Production Agent" }).click();
  const form = dev.getByRole("form", { name: "Request more budget" });
  await form.getByLabel("Extra budget (USD)").fill("100000000000000");
  await form.getByLabel("Reason").fill("Load test");
  await form.getByRole("button", { name: "Send request" }).click();
  await expect(fieldError(dev, "amount_usd")).toContainText("amount in dollars");
  await form.getByLabel("Extra budget (USD)").fill("0");
  await form.getByRole("button", { name: "Send request" }).click();
  await expect(fieldError(dev, "amount_usd")).toHaveText("must be more than 0");
  await form.getByLabel("Extra budget (USD)").fill("250");
  await form.getByRole("button", { name: "Send request" }).click();
  await expect(form.getByRole("status")).toContainText("Request sent");
  await form.getByLabel("Extra budget (USD)").fill("5000");
  await form.getByLabel("Reason").fill("Train a bigger model");
  await form.getByRole("button", { name: "Send request" }).click();
  // Sent once the form has been cleared again.
  await expect(form.getByLabel("Extra budget (USD)")).toHaveValue("");
  await expect(form.getByRole("status")).toContainText("Request sent");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Budget requests" }).click();
  const big = page.locator("li[data-request]", { hasText: "$5,000.00" });
  const small = page.locator("li[data-request]", { hasText: "$250.00" });
  await expect(small).toContainText(DEV.email);
  await shot(page, "14-budget-requests");
  await big.getByRole("button", { name: "Deny" }).click();
  await expect(big.locator(".field-error")).toHaveText("a denial needs a reason");
  await big.getByLabel("Reason (required to deny)").fill("Too much for a test");
  await big.getByRole("button", { name: "Deny" }).click();
  await expect(big).toHaveCount(0);
  await small.getByRole("button", { name: "Approve" }).click();
  await expect(small).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "No requests waiting" })).toBeVisible();
  await page.getByLabel("Show").selectOption("denied");
  await expect(page.locator("li[data-request]")).toContainText("Too much for a test");

  await openProject("Production Agent");
  await expect(page.getByText("$0.00 / $1,000.00")).toBeVisible();
});

/** Usage lines of the "Dev 1" key: `[days ago, model, cost in micro-dollars]`. */
function seedUsage(lines: [number, string, number][]) {
  const now = Date.now() * 1000;
  for (const [i, [daysAgo, model, cost]] of lines.entries()) {
    const at = now - daysAgo * 86_400_000_000 - 60_000_000;
    seedSql(
      `INSERT INTO usage_records (id, project_id, key_id, user_id, session_id, lease_id, model, input_tokens, cached_input_tokens, output_tokens, cost_micros, latency_ms, outcome, at, received_at)
       SELECT 'use_ui_${i}', k.project_id, k.id, k.owner_id, 'sess_ui', 'lease_ui', '${model}', 1000, 0, 500, ${cost}, 40, 'ok', ${at}, ${at}
       FROM ic_keys k WHERE k.name = 'Dev 1'`,
    );
  }
}

test("usage, activity, alerts and settings: data, or a clear not-available state", async () => {
  if (await hasRoute("/api/v1/analytics/spend")) {
    seedUsage([
      [0, "gpt-4o-mini", 1_250_000],
      [1, "gpt-4o-mini", 2_500_000],
      [3, "claude-haiku-4-5", 4_000_000],
    ]);
  }
  if (await hasRoute("/api/v1/alerts")) {
    seedSql(
      `INSERT INTO alerts (id, project_id, key_id, kind, severity, message, data, status, created_at)
       SELECT 'alert_ui_1', id, NULL, 'budget_soft', 'warning', 'Production Agent is at 80% of its budget', '{"pct": 80}', 'open', ${Date.now() * 1000}
       FROM projects WHERE name = 'Production Agent'`,
    );
  }
  const nav = page.getByRole("navigation", { name: "Main" });
  const pages: [string, string, string, string][] = [
    ["Usage", "/api/v1/analytics/spend", "Usage analytics", "15-usage"],
    ["Activity", "/api/v1/activity", "Recent activity", "16-activity"],
    ["Alerts", "/api/v1/alerts", "Alerts", "17-alerts"],
    ["Settings", "/api/v1/settings", "Server settings", "18-settings"],
  ];
  for (const [link, route, feature, name] of pages) {
    await nav.getByRole("link", { name: link }).click();
    if (await hasRoute(route)) {
      await expect(page.getByText("Not available on this server")).toHaveCount(0);
    } else {
      await expect(page.locator(".unavailable").first()).toContainText(`${feature} needs a newer`);
    }
    await shot(page, name);
  }
  if (await hasRoute("/api/v1/analytics/spend")) {
    await nav.getByRole("link", { name: "Usage" }).click();
    await expect(page.getByTestId("total-spend")).toHaveText("$7.75");
    await page.getByRole("button", { name: "By model" }).click();
    await expect(page.locator("tr", { hasText: "gpt-4o-mini" })).toContainText("$3.75");
    await expect(page.locator("tr", { hasText: "claude-haiku-4-5" })).toContainText("$4.00");
    await page.getByRole("button", { name: "By user" }).click();
    await expect(page.locator("tr", { hasText: ADMIN.email })).toContainText("$7.75");
    await page.getByRole("button", { name: "By project" }).click();
    await expect(page.locator("tr", { hasText: "Production Agent" })).toContainText("$7.75");
    await page.getByRole("button", { name: "By key" }).click();
    await expect(page.locator("tr", { hasText: "Dev 1" })).toContainText("$7.75");
    await shot(page, "15-usage");
    // A range that ends before the calls has none.
    await page.getByLabel("From").fill("2020-01-01");
    await page.getByLabel("To").fill("2020-01-31");
    await expect(page.getByTestId("total-spend")).toHaveText("$0.00");
    await expect(page.getByRole("heading", { name: "No usage in this range" })).toBeVisible();
  }
  if (await hasRoute("/api/v1/analytics/export.csv")) {
    await nav.getByRole("link", { name: "Usage" }).click();
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export CSV" }).click();
    const file = await (await download).path();
    expect(readFileSync(file, "utf8").split("\n")[0]).toContain(",");
  }
  if (await hasRoute("/api/v1/activity")) {
    await nav.getByRole("link", { name: "Activity" }).click();
    await expect(page.locator("ol.feed")).toContainText("key.revoke");
  }
  if (await hasRoute("/api/v1/analytics/daily")) {
    await openProject("Production Agent", "Usage");
    await expect(page.getByRole("figure")).toContainText("Spend per day, last 7 days");
    await expect(page.locator("figure table")).toContainText("$2.50");
    await expect(page.locator("ol.feed")).toContainText("gpt-4o-mini");
    await shot(page, "15b-project-usage");
  } else {
    await openProject("Production Agent", "Usage");
    await expect(page.locator(".unavailable").first()).toContainText("The spend chart needs a newer");
  }
  if (await hasRoute("/api/v1/alerts")) {
    await nav.getByRole("link", { name: "Alerts" }).click();
    const alert = page.locator("li.alert", { hasText: "Production Agent is at 80% of its budget" });
    await shot(page, "17-alerts");
    // The keys workflow's suspend and revoke raised their own alerts.
    const keyAlerts = page.locator("li.alert", { hasText: /key ic_\w+ was (revoked|suspended)/ });
    await expect(keyAlerts).toHaveCount(2);
    await alert.getByRole("button", { name: "Acknowledge" }).click();
    await expect(alert).toHaveCount(0);
    for (let i = 0; i < 2; i++) {
      await keyAlerts.first().getByRole("button", { name: "Acknowledge" }).click();
      await expect(keyAlerts).toHaveCount(1 - i);
    }
    await expect(page.getByRole("heading", { name: "No open alerts" })).toBeVisible();
    await page.getByRole("button", { name: "Acknowledged" }).click();
    await expect(alert).toContainText("acknowledged");
  }
  if (await hasRoute("/api/v1/settings")) {
    await nav.getByRole("link", { name: "Settings" }).click();
    const form = page.getByRole("form", { name: "Server settings" });
    await form.getByLabel("Max IPs per key").fill("-1");
    await form.getByRole("button", { name: "Save settings" }).click();
    await expect(fieldError(page, "max_ips_per_key")).toBeVisible();
    await form.getByLabel("Max IPs per key").fill("7");
    await form.getByRole("button", { name: "Save settings" }).click();
    await expect(form.getByRole("status")).toHaveText("Saved.");
    await page.reload();
    await expect(page.getByLabel("Max IPs per key")).toHaveValue("7");
  }
});

test("settings: lease and policy defaults; a bad TTL is shown on its field; new projects and sessions use them", async () => {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  const lease = page.getByRole("form", { name: "Lease defaults" });
  await expect(lease.getByLabel("Lease size (USD)")).toHaveValue("0.50");
  await lease.getByLabel("Lease TTL (seconds)").fill("5");
  await lease.getByRole("button", { name: "Save lease defaults" }).click();
  await expect(fieldError(page, "default_lease_ttl_secs")).toHaveText("must be 10 to 86400");
  await lease.getByLabel("Lease size (USD)").fill("0.25");
  await lease.getByLabel("Lease TTL (seconds)").fill("120");
  await lease.getByRole("button", { name: "Save lease defaults" }).click();
  await expect(lease.getByRole("status")).toHaveText("Saved.");

  const policy = page.getByRole("form", { name: "Policy defaults" });
  await policy.getByLabel("PII handling").selectOption("block");
  await policy.getByLabel("Denied tools (globs)").fill("shell.*, rm");
  await policy.getByRole("button", { name: "Save policy defaults" }).click();
  await expect(policy.getByRole("status")).toHaveText("Saved.");
  await shot(page, "18b-settings-defaults");
  await page.reload();
  await expect(page.getByRole("form", { name: "Lease defaults" }).getByLabel("Lease TTL (seconds)")).toHaveValue("120");

  // Production Agent sets no lease terms of its own: its sessions get the new defaults.
  const opened = await handshake(dev1Key);
  expect(opened.body.lease).toEqual({ tranche_micros: 250_000, ttl_secs: 120 });
  await sdk("DELETE", `/sessions/${opened.body.session_id}`, dev1Key);

  // A project created now starts with the default policy.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Projects" }).click();
  await page.getByRole("link", { name: "+ Create project" }).click();
  await page.getByLabel("Name").fill("Sandbox");
  await page.getByLabel("Budget (USD)").fill("20");
  await page.getByRole("button", { name: "Create project" }).click();
  const facts = page.locator("dl.facts");
  await expect(facts).toContainText("block");
  await expect(facts).toContainText("deny shell.*, rm");
  await expect(facts).toContainText("server default size");

  // Budget exhausted: the SDK's request past the budget is refused before it
  // reaches a provider, and the admin sees the project at its limit.
  await page.getByRole("navigation", { name: "Project sections" }).getByRole("link", { name: "IC keys" }).click();
  const generate = page.getByRole("form", { name: "Generate IC key" });
  await generate.getByLabel("Key name").fill("Sandbox agent");
  await generate.getByRole("button", { name: "Generate key" }).click();
  const key = (await page.getByTestId("new-key").textContent())!;
  await page.getByRole("button", { name: "I have stored the key" }).click();
  const session = (await handshake(key)).body.session_id;
  const whole = await sdk("POST", "/leases", key, { session_id: session, want_micros: 50_000_000, idempotency_key: crypto.randomUUID() });
  expect(whole.body.amount_micros).toBe(20_000_000);
  const over = await sdk("POST", "/leases", key, { session_id: session, want_micros: 1, idempotency_key: crypto.randomUUID() });
  expect([over.status, over.body.error.code, over.body.error.fields.scope]).toEqual([402, "BUDGET_EXCEEDED", "project"]);
  const settled = await sdk("POST", `/leases/${whole.body.lease_id}/settle`, key, { idempotency_key: crypto.randomUUID(), spent_micros: 20_000_000 });
  expect(settled.status).toBe(200);
  await sdk("DELETE", `/sessions/${session}`, key);
  await page.getByRole("navigation", { name: "Project sections" }).getByRole("link", { name: "Overview" }).click();
  await expect(page.getByText("$20.00 / $20.00")).toBeVisible();
  await expect(page.locator(".spend .badge")).toHaveText("limit reached");
  await expect(page.getByRole("form", { name: "Request more budget" })).toBeVisible();
  await shot(page, "08b-project-budget-exhausted");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Projects" }).click();
  await expect(page.locator(".project-card", { hasText: "Sandbox" })).toContainText("limit reached");
});

test("audit log: every change is recorded, filter by action, verify the chain", async () => {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(page.getByTestId("verify-result")).toContainText(/Chain intact: \d+ records verified/);
  await page.getByLabel("Action").fill("key.revoke");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.locator("tbody tr")).toHaveCount(1);
  await expect(page.locator("tbody tr")).toContainText("key.revoke");
  await page.getByLabel("Action").fill("no.such.action");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("No audit records match these filters.")).toBeVisible();
  await page.getByLabel("Action").fill("");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.locator("tbody tr").first()).toBeVisible();
  await shot(page, "19-audit");
});

test("remove a user: their session ends; archive a project: it becomes read-only", async () => {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  page.once("dialog", (d) => d.accept());
  await page.locator(`tr[data-user="${DEV.email}"]`).getByRole("button", { name: "Remove" }).click();
  await expect(page.locator(`tr[data-user="${DEV.email}"]`)).toHaveCount(0);
  await dev.reload();
  await expect(dev.getByRole("heading", { name: "Sign in to Iron Cage" })).toBeVisible();
  await signIn(dev, DEV.email, DEV.password);
  await expect(dev.getByRole("alert")).toContainText("wrong email or password");

  await openProject("Research");
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Archive project" }).click();
  await expect(page.locator(".page-head .status")).toHaveText("archived");
  await expect(page.getByRole("form", { name: "Project settings" })).toHaveCount(0);
  await expect(page.getByText("Archived projects are read-only.")).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Projects" }).click();
  await expect(page.getByRole("link", { name: "Research" })).toHaveCount(0);
  await page.getByLabel("Show archived projects").check();
  await expect(page.locator(".project-card", { hasText: "Research" }).locator(".status")).toHaveText("archived");
});

test("keyboard only: skip link, navigation and a form", async () => {
  await go(page, "/projects");
  await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.keyboard.press("Enter");
  // Walk the main navigation with Tab until "Keys", then follow it with Enter.
  await page.getByRole("link", { name: "Iron Cage" }).focus();
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate(() => document.activeElement?.textContent)) === "Keys") break;
  }
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/dashboard\/keys$/);
  await page.getByLabel("Key name").focus();
  await page.keyboard.type("Keyboard key");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("new-key")).toBeVisible();
  await page.getByRole("button", { name: "I have stored the key" }).press("Enter");
});

test("narrow window: pages reflow without horizontal scrolling", async () => {
  await page.setViewportSize({ width: 390, height: 800 });
  for (const [path, name] of [
    ["/projects", "20-narrow-projects"],
    ["/keys", "21-narrow-keys"],
    ["/budget-requests", "22-narrow-budget-requests"],
    ["/projects/new", "23-narrow-new-project"],
    ["/usage", "24-narrow-usage"],
    ["/activity", "25-narrow-activity"],
    ["/alerts", "26-narrow-alerts"],
    ["/users", "27-narrow-users"],
    ["/audit", "28-narrow-audit"],
    ["/settings", "29-narrow-settings"],
  ]) {
    await go(page, path);
    await expect(page.locator("main h1")).toBeVisible();
    await expectNoHorizontalScroll(page);
    await shot(page, name);
  }
  for (const [tab, name] of [
    [undefined, "30-narrow-project-detail"],
    ["IC keys", "31-narrow-project-keys"],
    ["Vault", "32-narrow-project-vault"],
    ["Members", "33-narrow-project-members"],
    ["Usage", "34-narrow-project-usage"],
  ] as const) {
    await go(page, "/projects");
    await page.getByRole("link", { name: "Production Agent", exact: true }).click();
    if (tab) await page.getByRole("navigation", { name: "Project sections" }).getByRole("link", { name: tab }).click();
    await expect(page.locator("main h1")).toBeVisible();
    await expectNoHorizontalScroll(page);
    await shot(page, name);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
});

test("settings: change password (wrong current password first), sign in with the new one", async () => {
  await go(page, "/settings");
  const form = page.getByRole("form", { name: "Change password" });
  await form.getByLabel("Current password").fill("not my password");
  await form.getByLabel("New password").fill("a brand new passphrase");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(fieldError(page, "current_password")).toContainText("current password is wrong");
  await form.getByLabel("Current password").fill(ADMIN.password);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("status")).toHaveText("Password changed.");
  await page.reload();
  await expect(page.getByRole("heading", { name: "Settings", exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Log out" }).click();
  // A deep link opened while signed out lands there after signing in.
  await go(page, "/audit");
  await signIn(page, ADMIN.email, "a brand new passphrase");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await expect(page).toHaveURL(/\/dashboard\/audit$/);
});

test("unknown client route shows a not-found page inside the app", async () => {
  await go(page, "/no/such/page");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});
