import { createHmac } from "node:crypto";

/**
 * What a control token may do: read (status, logs, config, metrics), act on services (restart, stop, start), or
 * everything (down too: only the CLI's token). Every token but the CLI's is derived from it, so the control API
 * checks all of them in one place (control-api.ts) and a derived token reveals nothing of the one it came from.
 */
export type Scope = "read" | "act" | "all";

const RANK: Record<Scope, number> = { read: 0, act: 1, all: 2 };

/** The token of `scope` for a control API whose own (CLI) token is `token`. */
export function scopedToken(token: string, scope: Scope): string {
  if (scope === "all") return token;
  return createHmac("sha256", token).update(`zero control scope ${scope}`).digest("base64url");
}

export function allows(held: Scope, needed: Scope): boolean {
  return RANK[held] >= RANK[needed];
}
