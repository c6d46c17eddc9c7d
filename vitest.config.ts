import { defineConfig } from "vitest/config";

// One runner for every workspace; each project keeps its own environment.
export default defineConfig({
  test: {
    projects: ["packages/zero", "apps/api", "apps/web", "packages/contracts"],
    reporters: ["default", "./scripts/summary-reporter.ts", "./scripts/fault-table-reporter.ts"],
  },
});
