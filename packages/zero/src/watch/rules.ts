import picomatch from "picomatch";
import type { Service, WatchRule } from "../stack/schema.js";

/** What a burst of changes asks one service to do: the strongest action among its matching rules, and the files. */
export interface ReloadRequest {
  service: string;
  action: WatchRule["action"];
  files: string[];
  /** sync rules that matched, each with its files (containers only). */
  syncs: { rule: WatchRule; files: string[] }[];
  /** When the last of its changes was seen: a restart after it (a followed restart) already covers them. */
  seenAt: number;
}

interface CompiledRule {
  service: string;
  rule: WatchRule;
  matches: (file: string) => boolean;
}

// Never a reason to reload: dependencies, git's own files, zero's state and logs (a service's log would retrigger it).
export const ALWAYS_IGNORED = ["**/node_modules/**", "**/.git/**", "**/.zero/**"];

/** Every service's rules compiled once, for the one watcher of the stack. */
export class WatchRules {
  private readonly compiled: CompiledRule[];

  constructor(services: Service[]) {
    this.compiled = services.flatMap((service) =>
      service.watch.map((rule) => {
        const matches = picomatch(rule.path, { dot: true, ignore: [...ALWAYS_IGNORED, ...(rule.ignore ?? [])] });
        return { service: service.name, rule, matches };
      }),
    );
  }

  get empty(): boolean {
    return this.compiled.length === 0;
  }

  /** The folders to watch (relative to the repository): each glob's part before its first wildcard. */
  roots(): string[] {
    const bases = this.compiled.flatMap(({ rule }) => rule.path.map((glob) => picomatch.scan(glob).base || "."));
    const unique = [...new Set(bases)].sort();
    // A folder inside another watched folder adds nothing.
    return unique.filter(
      (base) => !unique.some((other) => other !== base && (other === "." || base.startsWith(`${other}/`))),
    );
  }

  /** One request per service with a matching rule; files are paths relative to the repository. */
  requests(files: string[], seenAt = Date.now()): ReloadRequest[] {
    const byService = new Map<string, ReloadRequest>();
    for (const { service, rule, matches } of this.compiled) {
      const hit = files.filter((file) => matches(file));
      if (hit.length === 0) continue;
      const request = byService.get(service) ?? { service, action: rule.action, files: [], syncs: [], seenAt };
      request.files = [...new Set([...request.files, ...hit])];
      request.action = strongest(request.action, rule.action);
      if (rule.action === "sync") request.syncs.push({ rule, files: hit });
      byService.set(service, request);
    }
    return [...byService.values()];
  }
}

const strength: Record<WatchRule["action"], number> = { sync: 0, restart: 1, rebuild: 2 };

/** rebuild includes a restart, restart makes a sync moot (the container restarts with its mounts). */
export function strongest(a: WatchRule["action"], b: WatchRule["action"]): WatchRule["action"] {
  return strength[a] >= strength[b] ? a : b;
}

/** Joins a request that arrived while another was waiting: the strongest action, every file, every sync. */
export function mergeRequests(waiting: ReloadRequest, next: ReloadRequest): ReloadRequest {
  return {
    service: waiting.service,
    action: strongest(waiting.action, next.action),
    files: [...new Set([...waiting.files, ...next.files])],
    syncs: [...waiting.syncs, ...next.syncs],
    seenAt: Math.max(waiting.seenAt, next.seenAt),
  };
}
