import { execa } from "execa";

// tar from the OS (GNU tar on Linux, bsdtar on macOS; both take these flags): fast, streams, and its gzip
// check rejects a truncated or corrupt file before anything is extracted into place.

/** Writes <file> (gzip) with the given entries, each read relative to its own folder. */
export async function createArchive(file: string, entries: Array<{ from: string; path: string }>): Promise<void> {
  const args = ["-czf", file];
  for (const entry of entries) args.push("-C", entry.from, entry.path);
  await execa("tar", args, { all: true });
}

/** Extracts every entry of <file> into <into> (which must exist); rejects on any damage. */
export async function extractArchive(file: string, into: string): Promise<void> {
  await execa("tar", ["-xzf", file, "-C", into], { all: true });
}
