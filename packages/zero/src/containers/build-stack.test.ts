import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readStackFile } from "../stack/load.js";
import { containerStack, templateInputs, type ContainerTarget } from "./index.js";

// Pure logic: stack.yaml text in, container specs out (no Docker involved).
const plain: ContainerTarget = {
  template: false,
  path: (relative) => `/repo/${relative}`,
  value: (text) => text,
  literal: (text) => text,
  imageVariable: (_name, fallback) => fallback,
};

function stackFile(services: string) {
  const dir = mkdtempSync(join(tmpdir(), "zero-containers-"));
  writeFileSync(join(dir, "stack.yaml"), `name: demo\nprofiles:\n  full: { description: everything }\nservices:\n${services}`);
  return readStackFile(join(dir, "stack.yaml"));
}

const database = `  db:
    kind: postgres
    profiles: [full]
    ports: { main: "\${DB_PORT:-5432}" }
    env: { POSTGRES_USER: app, POSTGRES_PASSWORD: "\${POSTGRES_PASSWORD}" }
    healthcheck: { type: postgres }
`;

describe("container layer", () => {
  it("turns an image service into a container: image, published ports, data volume, shell health check, default limits", () => {
    const file = stackFile(`${database}  mail:
    kind: image
    profiles: [full]
    ports: { web: "\${MAIL_PORT:-1080}" }
    env: { GREETING: hello }
    healthcheck: { type: http, port: web, path: /healthz }
    container: { image: "example/mail:1", data: /var/mail, ports: { web: 8080 }, mounts: ["config:/etc/mail:ro"] }
`);
    const stack = containerStack(file.name, templateInputs(file), plain);
    const mail = stack.services.find((spec) => spec.service === "mail")!;
    expect(mail.image).toBe("example/mail:1");
    expect(mail.ports).toEqual([{ name: "web", host: "${MAIL_PORT:-1080}", container: 8080 }]);
    expect(mail.data).toEqual({ volume: "mail-data", path: "/var/mail" });
    expect(mail.mounts).toEqual([{ source: "/repo/config", target: "/etc/mail", readOnly: true }]);
    expect(mail.healthcheck?.shell).toContain('wget -q -O /dev/null "http://127.0.0.1:8080/healthz"');
    expect(mail.limits).toEqual({ memory: "512m", cpus: 1 });
    expect(stack.volumes).toEqual(["db-data", "mail-data"]);
  });

  it("passes secrets as files and keeps literal $ in its own scripts for targets that do not escape", () => {
    const file = stackFile(database);
    const [db] = containerStack(file.name, templateInputs(file), plain).services;
    expect(db!.env).toEqual({ POSTGRES_USER: "app" });
    expect(db!.secretFiles).toEqual({ POSTGRES_PASSWORD_FILE: "/run/secrets/postgres_password" });
    expect(db!.secrets).toEqual(["postgres_password"]);
    expect(db!.healthcheck?.shell).toContain('"$(cat "$POSTGRES_PASSWORD_FILE")"');
    expect(db!.image).toBe("postgres:17-bookworm");
  });

  it("refuses a process service with nothing to run in a container, naming the fix", () => {
    const file = stackFile(`  worker:
    kind: process
    profiles: [full]
    command: [python3, worker.py]
`);
    expect(() => containerStack(file.name, templateInputs(file), plain)).toThrow(/services\.worker \(kind process\) has no image/);
  });

  it("reads the old compose: block as container: and says to rename it", () => {
    const file = stackFile(`  app:
    kind: node
    profiles: [full]
    command: [node, server.js]
    compose: { target: app-prod }
`);
    expect(file.notes.join()).toMatch(/rename "compose:" to "container:" in app/);
    expect(containerStack(file.name, templateInputs(file), plain).services[0]!.build?.target).toBe("app-prod");
    expect(() => stackFile(`  app:
    kind: node
    profiles: [full]
    command: [node, server.js]
    compose: {}
    container: {}
`)).toThrow(/not a valid stack definition/);
  });
});
