import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { restartFollowers } from "../../src/stack/graph.js";
import { readStackFile, resolveStack } from "../../src/stack/load.js";

function resolve(services: string) {
  const dir = mkdtempSync(join(tmpdir(), "zero-watch-"));
  writeFileSync(
    join(dir, "stack.yaml"),
    `name: demo\nprofiles:\n  full: { description: everything }\nservices:\n${services}`,
  );
  return resolveStack(readStackFile(join(dir, "stack.yaml")), "full", {});
}

function refusal(services: string): string {
  try {
    resolve(services);
  } catch (error) {
    expect((error as { code: string }).code).toBe("ZERO_STACK_INVALID");
    return (error as { details: string[] }).details.join("\n");
  }
  throw new Error("expected the stack to be refused");
}

describe("watch rules in stack.yaml", () => {
  it("reads a glob or a list of globs, with ignore, and defaults to no rules", () => {
    const stack = resolve(`
  worker:
    kind: process
    profiles: [full]
    command: [node, worker.mjs]
    build_command: [npm, run, build]
    watch:
      - { path: "apps/worker/src/**/*.ts", ignore: "**/*.test.ts", action: rebuild }
      - { path: [apps/worker/config.json, "packages/shared/**"], action: restart }
  other: { kind: process, profiles: [full], command: [x] }`);
    expect(stack.services.worker!.watch).toEqual([
      { path: ["apps/worker/src/**/*.ts"], ignore: ["**/*.test.ts"], action: "rebuild" },
      { path: ["apps/worker/config.json", "packages/shared/**"], action: "restart" },
    ]);
    expect(stack.services.other!.watch).toEqual([]);
  });

  it("refuses a path outside the repository, naming the service and the rule", () => {
    const details = refusal(`
  worker:
    kind: process
    profiles: [full]
    command: [x]
    watch:
      - { path: src/**, action: restart }
      - { path: "../elsewhere/**", action: restart }
      - { path: src/**, ignore: /etc/**, action: restart }`);
    expect(details).toMatch(
      /services\.worker\.watch\[1\] \(restart \.\.\/elsewhere\/\*\*\): "\.\.\/elsewhere\/\*\*" is outside the repository/,
    );
    expect(details).toMatch(/services\.worker\.watch\[2\].*"\/etc\/\*\*" is outside the repository/);
    expect(details).not.toMatch(/watch\[0\]/);
  });

  it("refuses an unknown action, naming the service and the rule", () => {
    expect(
      refusal(`
  worker: { kind: process, profiles: [full], command: [x], watch: [{ path: src/**, action: reboot }] }`),
    ).toMatch(/services\.worker\.watch\.0\.action/);
  });

  it("refuses sync on a service that runs natively, and rebuild without a build command", () => {
    const details = refusal(`
  worker:
    kind: process
    profiles: [full]
    command: [x]
    watch:
      - { path: src/**, action: sync, target: /app/src }
      - { path: src/**, action: rebuild }`);
    expect(details).toMatch(
      /services\.worker\.watch\[0\] \(sync src\/\*\*\): sync copies into a container, and worker also runs natively/,
    );
    expect(details).toMatch(
      /services\.worker\.watch\[1\] \(rebuild src\/\*\*\): rebuild runs the service's build_command, and worker has none/,
    );
  });

  it("accepts sync on a container-only service, with its target", () => {
    const stack = resolve(`
  proxy:
    kind: image
    profiles: [full]
    native: skip
    container: { image: nginx }
    watch: [{ path: infrastructure/nginx/**, action: sync, target: /etc/nginx/conf.d, exec: [nginx, -s, reload] }]`);
    expect(stack.services.proxy!.watch[0]).toMatchObject({ action: "sync", target: "/etc/nginx/conf.d" });
  });
});

describe("depends_on with restart: true", () => {
  const stack = () =>
    resolve(`
  db: { kind: process, profiles: [full], command: [x], healthcheck: { type: command, command: ["true"] } }
  api: { kind: process, profiles: [full], command: [x], healthcheck: { type: command, command: ["true"] }, depends_on: { db: { condition: healthy, restart: true } } }
  worker: { kind: process, profiles: [full], command: [x], depends_on: { api: { condition: healthy, restart: true }, db: healthy } }
  web: { kind: process, profiles: [full], command: [x], depends_on: { api: started } }`);

  it("keeps the short form and reads the long one", () => {
    const { services } = stack();
    expect(services.web!.depends_on).toEqual({ api: { condition: "started", restart: false } });
    expect(services.api!.depends_on).toEqual({ db: { condition: "healthy", restart: true } });
  });

  it("restarts the followers, transitively, each after what it follows; nothing else", () => {
    const { services } = stack();
    expect(restartFollowers(services, ["db"]).map((s) => s.name)).toEqual(["api", "worker"]);
    expect(restartFollowers(services, ["api"]).map((s) => s.name)).toEqual(["worker"]);
    expect(restartFollowers(services, ["worker"])).toEqual([]);
    expect(restartFollowers(services, ["web"])).toEqual([]);
  });
});
