import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "zero",
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
