import { defineConfig } from "vite";

// Served by iron-server at /dashboard (see iron-server/src/dashboard.rs).
export default defineConfig({
  base: "/dashboard/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { target: "es2022", sourcemap: false, chunkSizeWarningLimit: 300 },
  server: { proxy: { "/api": process.env.IRON_SERVER ?? "http://127.0.0.1:8080" } },
});
