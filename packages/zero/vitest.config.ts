import { tmpdir } from "node:os";
import { join } from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

/**
 * Browser tests that assert "shown within 1 s": they run in their own project (vitest.config.ts at the root), one file
 * at a time after everything else, so the other files' stacks do not take the two cores they measure on.
 */
export const timingSensitive = ["test/e2e/dashboard.test.ts", "test/e2e/dashboard-controls.test.ts"];

/**
 * Files that run stacks in Docker: one at a time among themselves (their own project, vitest.config.ts at the root),
 * beside the other files. Two at once on a 2-core machine left a compose stack's dashboard short of "healthy" for
 * 30 s in CI.
 */
export const dockerStacks = [
  "test/e2e/compose.test.ts",
  "test/e2e/compose-dashboard.test.ts",
  "test/e2e/compose-database.test.ts",
  "test/e2e/compose-snapshots.test.ts",
  "test/e2e/devcontainer.test.ts",
  "test/e2e/https-compose.test.ts",
  "test/e2e/monitoring-compose.test.ts",
  "test/e2e/traces-compose.test.ts",
  "test/e2e/watch-compose.test.ts",
];

export const zeroTest = {
  include: ["test/**/*.test.ts", "src/**/*.test.ts"],
  globalSetup: ["test/global-setup.ts"],
  testTimeout: 30_000,
  hookTimeout: 120_000,
  // The tests' stacks register in their own registry of stacks, never in the developer's (docs/configuration.md).
  env: { ZERO_STATE_DIR: join(tmpdir(), "zero-test-stacks") },
};

export default defineConfig({
  test: { name: "zero", ...zeroTest, exclude: [...configDefaults.exclude, ...timingSensitive, ...dockerStacks] },
});
