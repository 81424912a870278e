import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{server,agent,cli,lib,scripts}/**/*.test.ts", "e2e/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
