import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readStackFile, resolveStack } from "../../src/stack/load.js";
import { startOrder, stopOrder } from "../../src/stack/graph.js";
import { combineProfiles, profileMembers, profileSlug, stackInstanceName, withProfile } from "../../src/stack/profiles.js";
import { repoRoot } from "../helpers/cli.js";

const secrets = { POSTGRES_PASSWORD: "pg-secret", REDIS_PASSWORD: "redis-secret" };

function stackFrom(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), "zero-stack-"));
  writeFileSync(join(dir, "stack.yaml"), yaml);
  return readStackFile(join(dir, "stack.yaml"));
}

const base = (services: string) => `
name: demo
profiles:
  full: { description: everything }
services:
${services}`;

describe("the project's stack.yaml", () => {
  const file = readStackFile(join(repoRoot, "stack.yaml"));

  it("defines the four services in the full profile, with defaults filled in", () => {
    const stack = resolveStack(file, "full", secrets);
    expect(Object.keys(stack.services).sort()).toEqual(["api", "postgres", "redis", "web"]);
    expect(stack.services.api!.ports).toEqual({ http: 3001, debug: 9229 });
    expect(stack.services.web!.ports.http).toBe(3000);
    expect(stack.services.postgres!.ports.main).toBe(5432);
    expect(stack.services.redis!.ports.main).toBe(6379);
    expect(stack.services.api!.env.DATABASE_URL).toBe("postgres://app:pg-secret@127.0.0.1:5432/app"); // secretlint-disable-line -- fake test value
  });

  it("starts dependencies first and stops them last", () => {
    const stack = resolveStack(file, "full", secrets);
    const order = startOrder(stack.services).map((s) => s.name);
    expect(order.indexOf("postgres")).toBeLessThan(order.indexOf("api"));
    expect(order.indexOf("redis")).toBeLessThan(order.indexOf("api"));
    expect(order.indexOf("api")).toBeLessThan(order.indexOf("web"));
    expect(stopOrder(stack.services).map((s) => s.name)[0]).toBe("web");
  });

  it("minimal profile runs postgres and api only, dropping the dependency on redis", () => {
    const stack = resolveStack(file, "minimal", secrets);
    expect(Object.keys(stack.services).sort()).toEqual(["api", "postgres"]);
    expect(stack.services.api!.depends_on).toEqual({ postgres: { condition: "healthy", restart: false } });
  });

  it("variables override the defaults", () => {
    const stack = resolveStack(file, "full", { ...secrets, API_PORT: "4001" });
    expect(stack.services.api!.ports.http).toBe(4001);
    expect(stack.services.web!.env.VITE_API_URL).toBe("http://127.0.0.1:4001");
  });

  it("refuses to start without the passwords and says which are missing", () => {
    expect(() => resolveStack(file, "full", {})).toThrow(/POSTGRES_PASSWORD, REDIS_PASSWORD/);
  });

  it("lists the profiles when an unknown one is asked for", () => {
    try {
      resolveStack(file, "nope", secrets);
      expect.unreachable();
    } catch (error) {
      expect((error as { code: string }).code).toBe("ZERO_PROFILE_UNKNOWN");
      expect((error as { details: string[] }).details.join("\n")).toMatch(/minimal\s+PostgreSQL and the API only/);
    }
  });
});

describe("add-on profiles (monitoring)", () => {
  const file = readStackFile(join(repoRoot, "stack.yaml"));
  const monitoring = ["grafana", "postgres-exporter", "prometheus", "redis-exporter"];

  it("alone, the add-on runs with the profile it adds to", () => {
    expect(profileMembers(file.profiles, "monitoring")).toEqual(["full", "monitoring"]);
    const stack = resolveStack(file, "monitoring", secrets);
    expect(Object.keys(stack.services).sort()).toEqual(["api", "postgres", "redis", "web", ...monitoring].sort());
  });

  it("joined with + it adds its services to any profile, dropping dependencies outside it", () => {
    const stack = resolveStack(file, "minimal+monitoring", secrets);
    expect(Object.keys(stack.services).sort()).toEqual(["api", "postgres", ...monitoring].sort());
    expect(stack.services["redis-exporter"]!.depends_on).toEqual({});
  });

  it("layers the members' settings: isolated and ephemeral from test, variables in order", () => {
    const combined = combineProfiles(file.profiles, "test+monitoring");
    expect(combined).toMatchObject({ isolated: true, ephemeral: true, variables: { API_PORT: "43001" } });
    expect(withProfile(file.profiles, "test+monitoring")["test+monitoring"]).toEqual(combined);
    expect(profileSlug("test+monitoring")).toBe("test-monitoring");
  });

  it("names a running copy (Compose project, Kubernetes namespace) by the stack, plus the profile when isolated", () => {
    const profiles = withProfile(file.profiles, "test+monitoring");
    expect(stackInstanceName("app", profiles, "full")).toBe("app");
    expect(stackInstanceName("app", profiles, "test")).toBe("app-test");
    expect(stackInstanceName("app", profiles, "test+monitoring")).toBe("app-test-monitoring");
  });

  it("names the unknown member of a joined profile", () => {
    expect(() => profileMembers(file.profiles, "backend+nope")).toThrow(/no profile "nope"/);
  });

  it("rejects an add-on that adds to an unknown profile or to another add-on", () => {
    const stack = stackFrom(`
name: demo
profiles:
  full: { description: everything }
  extra: { description: add-on, adds_to: nope }
services:
  x: { kind: process, command: [x], profiles: [full] }
`);
    expect(() => resolveStack(stack, "full", {})).toThrow(expect.objectContaining({ details: [expect.stringMatching(/profiles.extra.adds_to/)] }));
  });
});

describe("stack validation", () => {
  const invalid = (yaml: string) => {
    try {
      resolveStack(stackFrom(yaml), "full", {});
    } catch (error) {
      expect((error as { code: string }).code).toBe("ZERO_STACK_INVALID");
      return (error as { details: string[] }).details.join("\n");
    }
    throw new Error("expected the stack to be rejected");
  };

  it("rejects a dependency cycle, naming it", () => {
    const details = invalid(base(`
  a: { kind: node, profiles: [full], command: [x], depends_on: { b: started } }
  b: { kind: node, profiles: [full], command: [x], depends_on: { a: started } }`));
    expect(details).toMatch(/cycle a -> b -> a/);
  });

  it("rejects an unknown dependency", () => {
    expect(invalid(base(`
  a: { kind: node, profiles: [full], command: [x], depends_on: { ghost: started } }`))).toMatch(/unknown service "ghost"/);
  });

  it("rejects waiting for healthy on a service without a healthcheck", () => {
    expect(invalid(base(`
  a: { kind: node, profiles: [full], command: [x] }
  b: { kind: node, profiles: [full], command: [x], depends_on: { a: healthy } }`))).toMatch(/a has no healthcheck/);
  });

  it("rejects bad ports, unknown keys and unknown profiles together", () => {
    const details = invalid(base(`
  a: { kind: node, profiles: [nightly], command: [x], ports: { http: "70000" }, colour: blue }`));
    expect(details).toMatch(/services\.a\.ports\.http/);
    expect(details).toMatch(/colour/);
  });

  it("rejects a healthcheck on a port the service does not have", () => {
    expect(invalid(base(`
  a: { kind: node, profiles: [full], command: [x], ports: { http: 1 }, healthcheck: { type: http, port: web } }`))).toMatch(/"web" is not one of its ports/);
  });

  it("rejects start_early on a service with no dependency to start before, or no command to tell", () => {
    expect(invalid(base(`
  a: { kind: node, profiles: [full], command: [x], start_early: true }`))).toMatch(/services\.a\.start_early: only a service with depends_on/);
    expect(invalid(base(`
  a: { kind: node, profiles: [full], command: [x], healthcheck: { type: command, command: [x] } }
  b: { kind: image, profiles: [full], container: { image: x }, depends_on: { a: healthy }, start_early: true }`))).toMatch(/services\.b\.start_early: needs a command/);
  });

  it("reports YAML syntax errors with their position", () => {
    expect(() => stackFrom("name: [unclosed\n")).toThrow(/not a valid stack definition/);
  });
});

describe("stack.yaml mistakes the YAML parser lets through", () => {
  it("an alias without its anchor is ZERO_STACK_INVALID naming the alias, not a crash (found by the fault suite's fuzzing)", () => {
    expect(() => stackFrom(base("  api: { kind: node, command: *ttp }"))).toThrowError(
      expect.objectContaining({ code: "ZERO_STACK_INVALID", details: expect.arrayContaining([expect.stringContaining("ttp")]) }),
    );
  });
});
