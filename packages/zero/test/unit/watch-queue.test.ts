import { describe, expect, it } from "vitest";
import type { Service } from "../../src/stack/schema.js";
import { describeWatchError } from "../../src/watch/file-watcher.js";
import { ReloadQueue } from "../../src/watch/reload-queue.js";
import { WatchRules, type ReloadRequest } from "../../src/watch/rules.js";

// Pure logic: which service a changed file concerns, and how reloads queue. The watcher itself runs against real
// files in test/integration/watch-native.test.ts.
const service = (name: string, watch: Service["watch"]): Service =>
  ({
    name,
    kind: "process",
    profiles: ["full"],
    command: ["x"],
    ports: {},
    env: {},
    depends_on: {},
    restart: "no",
    urls: {},
    description: "",
    watch,
  }) as Service;

describe("watch rules", () => {
  const rules = new WatchRules([
    service("worker", [{ path: ["apps/worker/src/**/*.ts"], ignore: ["**/*.test.ts"], action: "restart" }]),
    service("api", [
      { path: ["apps/api/src/**"], action: "rebuild" },
      { path: ["apps/api/config.json"], action: "restart" },
    ]),
  ]);

  it("watches each glob's folder (or a plain file), once", () => {
    expect(rules.roots()).toEqual(["apps/api/config.json", "apps/api/src", "apps/worker/src"]);
    expect(
      new WatchRules([service("a", [{ path: ["src/**", "src/deep/*.ts", "**/*.md"], action: "restart" }])]).roots(),
    ).toEqual(["."]);
  });

  it("turns changed files into one request per service, with the strongest action", () => {
    const requests = rules.requests(
      [
        "apps/worker/src/a.ts",
        "apps/worker/src/a.test.ts",
        "apps/api/config.json",
        "apps/api/src/x.ts",
        "README.md",
        "apps/api/src/node_modules/m/i.ts",
      ],
      1,
    );
    expect(requests).toEqual([
      { service: "worker", action: "restart", files: ["apps/worker/src/a.ts"], syncs: [], seenAt: 1 },
      { service: "api", action: "rebuild", files: ["apps/api/src/x.ts", "apps/api/config.json"], syncs: [], seenAt: 1 },
    ]);
  });
});

describe("the reload queue", () => {
  const request = (files: string[], action: ReloadRequest["action"] = "restart"): ReloadRequest => ({
    service: "worker",
    action,
    files,
    syncs: [],
    seenAt: 0,
  });

  it("never runs two reloads of a service at once, and keeps at most one waiting (merged)", async () => {
    const runs: ReloadRequest[] = [];
    let release!: () => void;
    const queue = new ReloadQueue(async (r) => {
      runs.push(r);
      if (runs.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = queue.add(request(["a"]));
    const later = Array.from({ length: 50 }, (_, i) => queue.add(request([`f${i}`], i === 7 ? "rebuild" : "restart")));
    expect(runs).toHaveLength(1);
    release();
    await Promise.all([first, ...later]);
    expect(runs).toHaveLength(2);
    expect(runs[1]!.action).toBe("rebuild");
    expect(runs[1]!.files).toHaveLength(50);
  });
});

describe("the inotify limit", () => {
  it("is reported with its code and the fix", () => {
    const message = describeWatchError(
      Object.assign(new Error("ENOSPC: System limit for number of file watchers reached"), { code: "ENOSPC" }),
    );
    expect(message).toMatch(/^ZERO_WATCH_LIMIT: /);
    expect(message).toContain("sudo sysctl fs.inotify.max_user_watches=524288");
    expect(message).toContain("docs/troubleshooting.md#zero_watch_limit");
  });
});
