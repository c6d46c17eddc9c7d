// zero's database-changing commands delete the API dev runner's schema-check markers, so its next hot reload checks
// the schema again (apps/api/src/database/prepare.ts; the API side is apps/api/test/prepare-database.test.ts).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import type { Project } from "../../src/config/project.js";
import { forgetSchemaChecks } from "../../src/database/schema-markers.js";

describe("forgetSchemaChecks", () => {
  it("deletes every runner's schema-checked marker under each service's folder, and nothing else", () => {
    const root = mkdtempSync(join(tmpdir(), "zero-schema-markers-"));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const runner = join(root, "apps/api/.dev/4242");
    mkdirSync(runner, { recursive: true });
    writeFileSync(join(runner, "schema-checked"), "key");
    writeFileSync(join(runner, "server.mjs"), "// bundle");
    const stack = { services: { api: { cwd: "apps/api" }, web: { cwd: "apps/web" }, postgres: {} } };
    forgetSchemaChecks({ root, stack } as unknown as Project);
    expect(existsSync(join(runner, "schema-checked"))).toBe(false);
    expect(existsSync(join(runner, "server.mjs"))).toBe(true);
  });
});
