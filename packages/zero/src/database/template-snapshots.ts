import type { DatabaseTarget } from "./target.js";
import type { SnapshotInfo, SnapshotKind, SnapshotOwner } from "./snapshots.js";

/** Named copies of the stack's database, kept in its own server (`zero db snapshot`, restore points). */
export interface SnapshotCapability {
  /** onDone: called once the snapshot is usable, before the replaced copy is dropped (a drop waits for a checkpoint). */
  take(
    target: DatabaseTarget,
    owner: SnapshotOwner,
    name: string,
    kind?: SnapshotKind,
    onDone?: (info: SnapshotInfo) => void,
  ): Promise<SnapshotInfo>;
  restore(
    target: DatabaseTarget,
    owner: SnapshotOwner,
    name: string,
    kind?: SnapshotKind,
    onDone?: (info: SnapshotInfo) => void,
  ): Promise<SnapshotInfo>;
  drop(target: DatabaseTarget, name: string, kind?: SnapshotKind): Promise<void>;
  list(target: DatabaseTarget): Promise<SnapshotInfo[]>;
  /** The branch whose state the app database holds (branch_data=1); undefined before it follows one. */
  liveBranch(target: DatabaseTarget): Promise<string | undefined>;
  markLive(target: DatabaseTarget, owner: SnapshotOwner): Promise<void>;
}

/** Snapshots as PostgreSQL template copies through a connection to the server (loaded on first use: pg is not free). */
export const templateSnapshots: SnapshotCapability = {
  take: async (...args) => (await import("./snapshots.js")).takeSnapshot(...args),
  restore: async (...args) => (await import("./snapshots.js")).restoreSnapshot(...args),
  drop: async (...args) => (await import("./snapshots.js")).dropSnapshot(...args),
  list: async (target) => (await import("./snapshots.js")).listSnapshots(target),
  liveBranch: async (target) => (await import("./snapshots.js")).liveBranch(target),
  markLive: async (...args) => (await import("./snapshots.js")).markLive(...args),
};
