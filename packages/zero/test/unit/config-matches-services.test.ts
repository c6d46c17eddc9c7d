import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { effectiveSettings } from "../../src/config/effective.js";
import { MASK } from "../../src/config/mask.js";
import { loadProject } from "../../src/config/project.js";
import { interpolate } from "../../src/stack/interpolate.js";
import { repoRoot } from "../helpers/cli.js";

describe("make config shows what the services receive", () => {
  it("every ${VAR} that is a whole value in stack.yaml has, in zero config, exactly the value its service gets", () => {
    const project = loadProject({
      cwd: repoRoot,
      profile: "test",
      env: { ZERO_HOME: mkdtempSync(join(tmpdir(), "zero-config-")), WEB_PORT: "43100", LOG_LEVEL: "DEBUG" },
    });
    const rows = new Map(effectiveSettings(project).map((row) => [row.name, row]));
    const services = project.stack.services as unknown as Record<string, unknown>;
    const wholes = interpolate(project.stackFile.raw, project.variables.values).references.filter(
      // container: blocks are what containers get (zero export shows them); zero config shows the processes' values.
      (r) => r.whole && !r.nested && services[r.path.split(".")[1]!] && !r.path.includes(".container."),
    );
    expect(wholes.length).toBeGreaterThan(10);
    for (const reference of wholes) {
      const [, ...field] = reference.path.split(".");
      const received = field.reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], services);
      const row = rows.get(reference.variable);
      expect(row, reference.variable).toBeDefined();
      expect(row!.value, `${reference.variable} at ${reference.path}`).toBe(
        row!.value === MASK ? MASK : project.mask(String(received)),
      );
    }
    // A nested default (CORS_ORIGIN's uses WEB_PORT) is shown evaluated, as the API gets it.
    expect(rows.get("CORS_ORIGIN")!.value).toBe("http://127.0.0.1:43100,http://localhost:43100");
    expect(rows.get("CORS_ORIGIN")!.source).toBe("default in stack.yaml");
    expect(rows.get("WEB_PORT")!.source).toBe("environment variable");
    // A default built from a secret shows the secret masked (REDIS_URL's has REDIS_PASSWORD in it).
    expect(rows.get("REDIS_URL")!.value).toBe(`redis://:${MASK}@127.0.0.1:46379`);
  });

  it("https=1 adds Caddy and moves the URLs and CORS to the https origins, its variables filled in from the final values", () => {
    const project = loadProject({
      cwd: repoRoot,
      profile: "test",
      with: ["https"],
      env: { ZERO_HOME: mkdtempSync(join(tmpdir(), "zero-config-")), HTTPS_PORT: "48443", WEB_PORT: "43100" },
    });
    const { api, web, https } = project.stack.services;
    expect(https!.ports).toEqual({ https: 48443 });
    expect(https!.depends_on).toEqual({
      api: { condition: "started", restart: false },
      web: { condition: "started", restart: false },
    });
    expect(https!.env).toMatchObject({
      HTTPS_PORT: "48443",
      WEB_UPSTREAM: "127.0.0.1:43100",
      API_UPSTREAM: "127.0.0.1:43001",
    });
    // A profile variable's ${HTTPS_PORT:-8443} takes the environment's port, as do the URLs built from it.
    expect(api!.env.CORS_ORIGIN).toBe("https://app.localhost:48443,http://127.0.0.1:43100,http://localhost:43100");
    expect(api!.urls).toEqual({ API: "https://api.localhost:48443", "API docs": "https://api.localhost:48443/docs" });
    expect(web!.urls).toEqual({ Web: "https://app.localhost:48443" });
    expect(web!.env.VITE_API_URL).toBe("https://api.localhost:48443");
    // Without the add-on nothing changes: no Caddy, the http URLs.
    const plain = loadProject({
      cwd: repoRoot,
      profile: "test",
      env: { ZERO_HOME: mkdtempSync(join(tmpdir(), "zero-config-")) },
    });
    expect(plain.stack.services.https).toBeUndefined();
    expect(plain.stack.services.web!.urls).toEqual({ Web: "http://127.0.0.1:43000" });
  });

  it("records each reference's variable, default and what produced the value", () => {
    const { references } = interpolate({ a: "${A:-x${B:-2}}", b: "pre-${C}" }, { C: "c" });
    expect(references).toEqual([
      { path: "a", variable: "A", from: "default", default: "x2", value: "x2", whole: true, nested: false },
      { path: "a", variable: "B", from: "default", default: "2", value: "2", whole: false, nested: true },
      { path: "b", variable: "C", from: "variable", value: "c", whole: false, nested: false },
    ]);
  });
});
