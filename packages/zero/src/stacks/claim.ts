import { basename } from "node:path";
import type { Project } from "../config/project.js";
import { savePorts } from "../ports/auto-assign.js";
import { portClaims } from "../ports/check.js";
import { currentBranch } from "./git-branch.js";
import { chooseBlock, portVariables } from "./port-block.js";
import {
  liveness,
  readEntries,
  removeEntry,
  type StackEntry,
  type StackOwner,
  thisProcess,
  withRegistryLock,
  writeEntry,
} from "./registry.js";

/** What `zero up` learned while claiming its ports: the project to start, and what to say about it. */
export interface Claim {
  project: Project;
  /** Set when this checkout moved to its own block because another zero stack holds its ports. */
  moved?: { other: StackEntry; ports: Record<string, number> };
  /** This checkout's stack was already registered and alive: `up` will find it running. */
  alreadyRegistered: boolean;
  /** The variables set for this run (the block's ports), to keep on a later reload. */
  set: Record<string, string>;
}

/**
 * Under the registry's lock: when another zero stack (running, or starting this very moment) holds ports this
 * checkout wants, moves the checkout to its own block (stable for its folder, saved in .env); then registers this
 * stack as starting, so a checkout started at the same moment sees its ports. A port held by anything else is left
 * to the runtime's own check (ZERO_PORT_IN_USE naming the holder).
 */
export function claimPorts(initial: Project, reload: (set: Record<string, string>) => Project): Promise<Claim> {
  return withRegistryLock(async () => {
    let project = initial;
    const others: StackEntry[] = [];
    let alreadyRegistered = false;
    for (const entry of readEntries()) {
      const state = await liveness(entry);
      if (state === "gone") removeEntry(entry.home);
      else if (entry.home === project.home) alreadyRegistered = true;
      else others.push(entry);
    }
    if (alreadyRegistered) return { project, alreadyRegistered, set: {} };
    const claimed = new Set(others.flatMap((entry) => entry.ports));
    const wanted = portClaims(project.stack.services).map((claim) => claim.port);
    const other = others.find((entry) => wanted.some((port) => entry.ports.includes(port)));
    let moved: Claim["moved"];
    let set: Record<string, string> = {};
    if (other) {
      const ports = await chooseBlock(project.root, portVariables(project.stackFile), claimed);
      if (!project.stackFile.profiles[project.profile]?.isolated) {
        savePorts(project.root, ports, `this checkout's own port (another zero stack, ${other.name}, had it)`);
      }
      set = Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)]));
      project = reload(set);
      moved = { other, ports };
    }
    writeEntry(entryFor(project, "starting", thisProcess()));
    return { project, moved, alreadyRegistered, set };
  });
}

/** The registry entry of a project, as it starts or once it runs. */
export function entryFor(project: Project, state: StackEntry["state"], owner: StackOwner | undefined): StackEntry {
  const urls = Object.fromEntries(
    Object.values(project.stack.services).flatMap((service) => Object.entries(service.urls)),
  );
  return {
    name: stackName(project),
    root: project.root,
    home: project.home,
    branch: currentBranch(project.root),
    runtime: project.runtime,
    profile: project.profile,
    ports: portClaims(project.stack.services).map((claim) => claim.port),
    urls,
    startedAt: new Date().toISOString(),
    configHash: project.configHash,
    state,
    ephemeral: Boolean(project.stackFile.profiles[project.profile]?.ephemeral),
    owner,
  };
}

/** The checkout's folder name: two worktrees of one stack share stack.yaml's name but never their folder's. */
export function stackName(project: Project): string {
  return basename(project.root);
}

export { removeEntry, writeEntry };
