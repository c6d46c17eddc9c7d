import { relative } from "node:path";
import type { Project } from "../../config/project.js";
import { newMigration, reset } from "../../database/lifecycle.js";
import { migrateDatabase, restorePolicy, seedDatabase } from "../../database/operations.js";
import { planRollback, rollbackTo } from "../../database/restore-points.js";
import { forgetSchemaChecks } from "../../database/schema-markers.js";
import { prepareDatabase, startupDatabase } from "../../database/startup.js";
import { databaseTarget } from "../../database/target.js";
import { isZeroError, ZeroError } from "../../errors/zero-error.js";
import { capability, runtimeFor } from "../../runtimes/index.js";
import { confirm } from "../confirm.js";
import type { CommandOptions } from "../command-options.js";
import { colors as pc, type Output } from "../output.js";

const usage =
  "zero db migrate | rollback [--yes] | new <name> | seed | reset [--no-seed] [--yes] | backup | restore <file> [--yes] | backups | snapshot [name] | snapshots | restore-snapshot [name] [--yes] | drop-snapshot <name>";

// Actions that may put the database behind the migrations a running API's dev runner last checked.
const CHANGES_SCHEMA = new Set(["rollback", "reset", "restore", "restore-snapshot", "follow-branch"]);

/** `zero db <action>` (make migrate, migrate-new, seed, reset-db, backup-db, restore-db, backups). */
export async function db(project: Project, out: Output, options: CommandOptions): Promise<number> {
  const action = options.positionals?.[0];
  if (!CHANGES_SCHEMA.has(action ?? "")) return dbAction(project, out, options);
  try {
    return await dbAction(project, out, options);
  } finally {
    forgetSchemaChecks(project); // also after a failure: the database may have changed part-way
  }
}

async function dbAction(project: Project, out: Output, options: CommandOptions): Promise<number> {
  const [action, argument] = options.positionals ?? [];
  const target = databaseTarget(project);
  const ok = (text: string) => out.line(`${pc.green("✔")} ${text}`);
  const note = (text: string) => out.line(`  ${pc.cyan("note")}      ${text}`);
  // Whatever changes or copies the data refuses while the database runs outside the runtime's control (migrate and
  // seed check it in their one operation, which zero mcp calls too).
  if (["rollback", "reset", "backup", "restore"].includes(action ?? "")) {
    (await runtimeFor(project.runtime)).assertDatabaseSupervised?.(project, target.service.name);
  }
  const where = (path: string) => (relative(process.cwd(), path).startsWith("..") ? path : relative(process.cwd(), path));
  switch (action) {
    case "migrate": {
      const { applied, point } = await migrateDatabase(project, await runtimeFor(project.runtime));
      for (const name of applied) out.line(`  applied   ${name}`);
      if (point) note(`restore point "${point.name}" taken first: \`make rollback\` goes back to it.`);
      ok(applied.length > 0 ? `Applied ${applied.length} migration(s); the schema is at the latest.` : "Nothing to apply: the schema is at the latest migration.");
      return 0;
    }
    case "follow-branch": {
      // The post-checkout hook (make hooks) and `make dev` on a running stack: nothing unless branch_data is on.
      const database = startupDatabase(project);
      const snapshots = (await runtimeFor(project.runtime)).capabilities.snapshots;
      if (!database?.branchData) return 0;
      if (!snapshots) capability(await runtimeFor(project.runtime), "snapshots"); // ZERO_UNSUPPORTED naming who can
      try {
        await prepareDatabase(database, snapshots!, (line) => note(line));
      } catch (error) {
        if (!isZeroError(error) || error.code !== "ZERO_DATABASE_UNREACHABLE") throw error;
        note(`the database is not running: \`make dev\` brings branch "${database.owner.branch}"'s state when it starts.`);
      }
      return 0;
    }
    case "rollback": {
      const policy = restorePolicy(project, await runtimeFor(project.runtime));
      if (!policy) capability(await runtimeFor(project.runtime), "snapshots"); // ZERO_UNSUPPORTED naming who can
      const { point, undoes } = await planRollback(target, policy!);
      const taken = point.createdAt.replace("T", " ").slice(0, 19);
      const undoing = undoes.length > 0 ? `undoing ${undoes.join(", ")}` : "undoing no migration";
      await confirm(`This puts database "${target.service.env.POSTGRES_DB}" back to restore point "${point.name}" (taken ${taken}), ${undoing}; rows written since are lost.`, { yes: options.yes, flag: "yes=1 (zero: --yes)" });
      await rollbackTo(target, policy!, point);
      for (const name of undoes) out.line(`  undone    ${name}`);
      ok(`Rolled back to restore point "${point.name}" (taken ${taken}): ${undoes.length} migration(s) undone, schema and data as they were.`);
      return 0;
    }
    case "new": {
      ok(`Created ${where(await newMigration(target, argument))}: write its Up (and Down) SQL, then \`make migrate\`.`);
      return 0;
    }
    case "seed": {
      const files = await seedDatabase(project, await runtimeFor(project.runtime));
      ok(`Ran ${files.length} seed file(s) in one transaction (${files.join(", ")}); rows that existed were kept.`);
      return 0;
    }
    case "reset": {
      const withSeed = !options.noSeed;
      await confirm(`This deletes every row of database "${target.service.env.POSTGRES_DB}" and recreates it${withSeed ? " with the seed data" : " empty"}.`, { yes: options.yes, flag: "yes=1 (zero: --yes)" });
      const result = await reset(target, { seed: withSeed });
      ok(`Recreated "${target.service.env.POSTGRES_DB}": ${result.migrations.length} migration(s) applied, ${withSeed ? `${result.seeds.length} seed file(s) run` : "not seeded (seed=0)"}.`);
      return 0;
    }
    case "backup": {
      const began = Date.now();
      const { file, manifest } = await capability(await runtimeFor(project.runtime), "backup").create(project, target, note);
      ok(`Backup written to ${where(file)} (${formatBytes(manifest.sizeBytes)}, ${manifest.runtime} runtime, PostgreSQL ${manifest.pgVersion}, ${describeMigrations(manifest.migrations)}) in ${((Date.now() - began) / 1000).toFixed(1)} s.`);
      return 0;
    }
    case "restore": {
      if (!argument) throw new ZeroError("ZERO_USAGE", "Which backup? Name its file.", { next: "Run `make backups` to list them, then `make restore-db file=<path>`." });
      await confirm(`This replaces database "${target.service.env.POSTGRES_DB}" with the backup ${argument}; changes since that backup are lost.`, { yes: options.yes, flag: "yes=1 (zero: --yes)" });
      const result = await capability(await runtimeFor(project.runtime), "restore")(project, target, argument, note);
      ok(`Restored ${argument} (taken ${result.manifest.createdAt})${result.verified ? ": the database is up and answers" : ""}.`);
      if (result.pending.length > 0) note(`${result.pending.length} migration(s) are newer than this backup: run \`make migrate\`.`);
      return 0;
    }
    case "backups": {
      // Every runtime keeps its backups in the one store (each manifest names its runtime).
      const backups = (await import("../../backups/store.js")).listBackups(project);
      if (backups.length === 0) out.line(`No backups yet in ${where(`${project.home}/backups`)}; \`make backup-db\` writes one.`);
      for (const { file, manifest } of backups) {
        out.line(`  ${where(file).padEnd(48)} ${manifest ? `${formatBytes(manifest.sizeBytes).padStart(8)}  ${(manifest.runtime ?? "").padEnd(8)} PostgreSQL ${manifest.pgVersion}  ${describeMigrations(manifest.migrations)}` : "(no manifest)"}`);
      }
      return 0;
    }
    case "snapshot":
    case "snapshots":
    case "restore-snapshot":
    case "drop-snapshot":
      return (await import("./snapshots.js")).snapshotAction(project, out, target, action, argument, options.yes);
    default:
      throw new ZeroError("ZERO_USAGE", action ? `Unknown database action "${action}".` : "Which database action?", { next: `Usage: ${usage}` });
  }
}

function describeMigrations(migrations: string[] | null): string {
  if (migrations === null) return "migrations not recorded";
  return `${migrations.length} migration(s)${migrations.length > 0 ? `, latest ${migrations.at(-1)}` : ""}`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`;
}
