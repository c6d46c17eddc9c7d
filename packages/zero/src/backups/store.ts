import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import type { Project } from "../config/project.js";
import { createArchive } from "./archive.js";
import { MANIFEST_FILE, manifestSchema, type Manifest } from "./manifest.js";

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

/** A fresh archive name, <home>/backups/<timestamp>.tar.gz, in a folder only its owner may enter (copies of the database). */
export function newBackupFile(project: Project): string {
  const dir = backupsDir(project);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700); // a folder made before backups were private keeps its old mode otherwise
  return join(dir, `${new Date().toISOString().replace(/[:.]/g, "-")}.tar.gz`);
}

/** A scratch folder beside the backups, for what goes into one archive (removed by the caller). */
export function backupStaging(file: string): string {
  return mkdtempSync(join(dirname(file), ".staging-"));
}

/**
 * Writes the archive: the manifest (from staging) plus the runtime's entries, under a temporary name renamed when
 * complete, so an interrupted backup never looks like a complete one. Created 0600 before tar writes into it (tar
 * keeps an existing file's mode): never world-readable. Returns the manifest with the archive's size, also beside it.
 */
export async function sealBackup(
  file: string,
  staging: string,
  manifest: Manifest,
  entries: Array<{ from: string; path: string }>,
): Promise<Manifest> {
  const partial = `${file}.partial`;
  try {
    writeFileSync(join(staging, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
    writeFileSync(partial, "", { mode: 0o600 });
    await createArchive(partial, [{ from: staging, path: MANIFEST_FILE }, ...entries]);
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  const sealed = { ...manifest, sizeBytes: statSync(file).size };
  writeSidecar(file, sealed);
  return sealed;
}

function sidecar(file: string): string {
  return file.replace(/\.tar\.gz$/, ".json");
}
