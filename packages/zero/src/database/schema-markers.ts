import { readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Project } from "../config/project.js";

/**
 * The API's dev runner skips its schema check on a hot reload while its marker (`<cwd>/.dev/<pid>/schema-checked`,
 * apps/api/scripts/dev.mjs) matches the migrations. A command that changes the database behind a running runner
 * (migrate, rollback, reset-db, restore-db, restore-snapshot, a branch switch) deletes every such marker, so the next reload
 * checks the schema again (and re-applies what was rolled back) instead of running on the older one.
 */
export function forgetSchemaChecks(project: Pick<Project, "root" | "stack">): void {
  const folders = new Set(
    Object.values(project.stack.services).map((service) => resolve(project.root, service.cwd ?? ".")),
  );
  for (const folder of folders) forgetSchemaChecksIn(folder);
}

export function forgetSchemaChecksIn(folder: string): void {
  const builds = join(folder, ".dev");
  let runners: string[];
  try {
    runners = readdirSync(builds);
  } catch {
    return; // no dev runner has run here
  }
  for (const runner of runners) rmSync(join(builds, runner, "schema-checked"), { force: true });
}
