import type { Project } from "../../config/project.js";
import { checkSnapshotName, nameFromBranch, type SnapshotInfo } from "../../database/snapshots.js";
import type { DatabaseTarget } from "../../database/target.js";
import { capability, runtimeFor } from "../../runtimes/index.js";
import { currentBranch } from "../../stacks/git-branch.js";
import { confirm } from "../confirm.js";
import { colors as pc, type Output } from "../output.js";

/** `zero db snapshot | snapshots | restore-snapshot | drop-snapshot` (make snapshot, snapshots, restore-snapshot, drop-snapshot). */
export async function snapshotAction(
  project: Project,
  out: Output,
  target: DatabaseTarget,
  action: string,
  argument: string | undefined,
  yes?: boolean,
): Promise<number> {
  const snapshots = capability(await runtimeFor(project.runtime), "snapshots");
  const branch = currentBranch(project.root);
  const owner = { project: project.stack.name, branch };
  const name = () => checkSnapshotName(argument ?? nameFromBranch(branch));
  const seconds = (began: number) => `${((performance.now() - began) / 1000).toFixed(2)} s`;
  const database = target.service.env.POSTGRES_DB ?? "postgres";
  switch (action) {
    case "snapshot": {
      const began = performance.now();
      // Printed once the snapshot is usable; a replaced one of the same name is dropped after (a drop waits for a checkpoint).
      await snapshots.take(target, owner, name(), "snapshot", (info) =>
        out.line(
          `${pc.green("✔")} Snapshot "${info.name}" of database "${database}" taken in ${seconds(began)} (${formatBytes(info.sizeBytes)}, ${describe(info)}).`,
        ),
      );
      return 0;
    }
    case "restore-snapshot": {
      const chosen = name();
      await confirm(
        `This replaces database "${database}" with snapshot "${chosen}"; changes since that snapshot are lost.`,
        { yes, flag: "yes=1 (zero: --yes)" },
      );
      const began = performance.now();
      await snapshots.restore(target, owner, chosen, "snapshot", (info) =>
        out.line(
          `${pc.green("✔")} Restored snapshot "${info.name}" (taken ${info.createdAt.replace("T", " ").slice(0, 19)}, ${describe(info)}) in ${seconds(began)}.`,
        ),
      );
      return 0;
    }
    case "drop-snapshot": {
      const chosen = name();
      // A name with no snapshot may be a branch's saved state (branch_data=1): that one is dropped instead.
      const kinds = (await snapshots.list(target)).filter((info) => info.name === chosen).map((info) => info.kind);
      const kind = !kinds.includes("snapshot") && kinds.includes("branch") ? "branch" : "snapshot";
      await snapshots.drop(target, chosen, kind);
      out.line(`${pc.green("✔")} Dropped ${kind === "branch" ? "branch state" : "snapshot"} "${chosen}".`);
      return 0;
    }
    default: {
      const all = await snapshots.list(target);
      if (all.length === 0)
        out.line("No snapshots or restore points yet; `make snapshot` takes one (named after the branch).");
      else
        out.line(
          `  ${"name".padEnd(28)} ${"kind".padEnd(13)} ${"branch".padEnd(16)} ${"size".padStart(8)}  ${"migrations".padEnd(34)} created`,
        );
      for (const info of all) {
        out.line(
          `  ${info.name.padEnd(28)} ${info.kind.padEnd(13)} ${(info.branch ?? "-").padEnd(16)} ${formatBytes(info.sizeBytes).padStart(8)}  ${migrations(info).padEnd(34)} ${info.createdAt.replace("T", " ").slice(0, 19)}`,
        );
      }
      return 0;
    }
  }
}

function describe(info: SnapshotInfo): string {
  return `${migrations(info)}${info.branch ? `, branch ${info.branch}` : ""}`;
}

function migrations(info: SnapshotInfo): string {
  return info.migrations.length === 0 ? "no migrations" : `${info.migrations.length}, latest ${info.migrations.at(-1)}`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} kB`;
}
