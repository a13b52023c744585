import { defineConfig } from "@playwright/test";

// Debian's Chromium, never a downloaded browser; one worker because the
// workflows share one fresh server (tests/global-setup.ts).
export default defineConfig({
  testDir: "tests",
  globalSetup: "./tests/global-setup.ts",
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  outputDir: "../test-artifacts/dashboard/results",
  use: {
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium" },
    trace: "retain-on-failure",
  },
});
