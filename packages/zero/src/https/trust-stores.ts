import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";

/**
 * The trust-store entries mkcert writes, as readable lines, so `make trust-ca` can say exactly what it changed
 * by comparing a snapshot before with one after. Linux only (the system anchor folders mkcert uses, and the NSS
 * databases of Chromium and Firefox); elsewhere mkcert's own report is all there is.
 */
export async function trustStoreSnapshot(home = process.env.HOME ?? homedir()): Promise<Set<string>> {
  const entries = new Set<string>();
  for (const folder of SYSTEM_ANCHORS) {
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder)) {
      if (file.startsWith("mkcert")) entries.add(`system trust store: ${join(folder, file)}`);
    }
  }
  for (const database of nssDatabases(home)) {
    const listed = await execa("certutil", ["-L", "-d", `sql:${database}`], { reject: false });
    if (listed.exitCode !== 0) continue;
    for (const line of listed.stdout.split("\n")) {
      const nickname = /^(mkcert development CA \d+)/.exec(line.trim())?.[1];
      if (nickname) entries.add(`NSS database ${database} (Chromium/Firefox): "${nickname}"`);
    }
  }
  return entries;
}

/** The NSS databases present, as mkcert looks for them (it skips a browser whose database does not exist yet). */
export function nssDatabases(home = process.env.HOME ?? homedir()): string[] {
  const fixed = [
    join(home, ".pki", "nssdb"),
    join(home, "snap", "chromium", "current", ".pki", "nssdb"),
    "/etc/pki/nssdb",
  ];
  const firefox = [
    join(home, ".mozilla", "firefox"),
    join(home, "snap", "firefox", "common", ".mozilla", "firefox"),
  ].flatMap((profiles) =>
    existsSync(profiles) ? readdirSync(profiles).map((profile) => join(profiles, profile)) : [],
  );
  return [...fixed, ...firefox].filter((folder) => existsSync(join(folder, "cert9.db")));
}

/** Where mkcert puts a CA for the system store: Debian/Ubuntu, Fedora/RHEL, Arch, openSUSE. */
const SYSTEM_ANCHORS = [
  "/usr/local/share/ca-certificates",
  "/etc/pki/ca-trust/source/anchors",
  "/etc/ca-certificates/trust-source/anchors",
  "/usr/share/pki/trust/anchors",
];

/** What is in `after` but not `before`, and the reverse. */
export function compareSnapshots(before: Set<string>, after: Set<string>): { added: string[]; removed: string[] } {
  return {
    added: [...after].filter((entry) => !before.has(entry)).sort(),
    removed: [...before].filter((entry) => !after.has(entry)).sort(),
  };
}
