import { basename } from "node:path";
import type { OtherStack, StacksView } from "@zero/contracts/control";
import { liveness, readEntries, registryDir, removeEntry, type StackEntry, type StackLiveness } from "./registry.js";

export interface StackRow {
  entry: StackEntry;
  state: StackLiveness;
}

/** Every stack in the registry with its liveness, oldest first; entries whose stack is gone are removed as found. */
export async function currentStacks(dir = registryDir()): Promise<StackRow[]> {
  const rows = await Promise.all(readEntries(dir).map(async (entry) => ({ entry, state: await liveness(entry) })));
  for (const row of rows) if (row.state === "gone") removeEntry(row.entry.home, dir);
  return rows.sort((a, b) => a.entry.startedAt.localeCompare(b.entry.startedAt));
}

/**
 * GET /v1/stacks for the stack in `home`: its name, and the other running stacks with their dashboard's address.
 * Only what tells them apart and the Web URL leave: never their folders, ports, owners or credentials in a URL.
 */
export async function stacksView(own: { root: string; home: string }, dir = registryDir()): Promise<StacksView> {
  const rows = await currentStacks(dir);
  const mine = rows.find((row) => row.entry.home === own.home)?.entry;
  const others = rows.flatMap(({ entry, state }): OtherStack[] =>
    entry.home === own.home || state === "gone"
      ? []
      : [
          {
            name: entry.name,
            branch: entry.branch,
            runtime: entry.runtime,
            profile: entry.profile,
            state,
            webUrl: webUrl(entry.urls),
          },
        ],
  );
  return { self: { name: mine?.name ?? basename(own.root), branch: mine?.branch }, others };
}

/** The stack's "Web" URL as a plain http(s) address: no user, password, query or fragment (WEB_URL may carry one). */
function webUrl(urls: Record<string, string>): string | undefined {
  const [, raw] = Object.entries(urls).find(([label]) => label.toLowerCase() === "web") ?? [];
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === "http:" || url.protocol === "https:" ? `${url.origin}${url.pathname}` : undefined;
  } catch {
    return undefined;
  }
}
