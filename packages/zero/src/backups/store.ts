import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Project } from "../config/project.js";
import { manifestSchema, type Manifest } from "./manifest.js";

/** Every runtime's backups live in <home>/backups: <timestamp>.tar.gz with its manifest beside it as .json. */
export function backupsDir(project: Project): string {
  return join(project.home, "backups");
}

/** Backups, newest first, with their manifests (from the file beside each archive). */
export function listBackups(project: Project): Array<{ file: string; manifest: Manifest | undefined }> {
  const dir = backupsDir(project);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".tar.gz"))
    .sort()
    .reverse()
    .map((name) => {
      const file = join(dir, name);
      try {
        return { file, manifest: manifestSchema.parse(JSON.parse(readFileSync(sidecar(file), "utf8"))) };
      } catch {
        return { file, manifest: undefined };
      }
    });
}

/** The manifest beside an archive, for listing without opening it. */
export function writeSidecar(file: string, manifest: Manifest): void {
  writeFileSync(sidecar(file), JSON.stringify(manifest, null, 2), { mode: 0o600 });
}

/** A fresh archive name: <home>/backups/<timestamp>.tar.gz. */
export function newBackupFile(project: Project): string {
  return join(backupsDir(project), `${new Date().toISOString().replace(/[:.]/g, "-")}.tar.gz`);
}

function sidecar(file: string): string {
  return file.replace(/\.tar\.gz$/, ".json");
}
