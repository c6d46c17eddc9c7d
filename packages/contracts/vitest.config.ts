import { defineConfig } from "vitest/config";

// Unit tests of the contracts sit beside their source.
export default defineConfig({
  test: {
    name: "contracts",
    include: ["src/**/*.test.ts"],
  },
});
