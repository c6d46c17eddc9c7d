import { describe, expect, it } from "vitest";
import type { Project } from "../../config/project.js";
import { composeProjectName } from "./project-name.js";

// Pure logic: the name only (a plain object stands in for a loaded project).
const project = (root: string, profile = "full", values: Record<string, string> = {}) =>
  ({
    root,
    profile,
    stack: { name: "zero-to-running" },
    stackFile: { profiles: { full: { isolated: false }, test: { isolated: true } } },
    variables: { values },
  }) as unknown as Project;

describe("Compose project name", () => {
  it("differs between two checkouts of the same stack, and is stable for one", () => {
    const first = composeProjectName(project("/home/ana/zero-to-running"));
    expect(first).toMatch(/^zero-to-running-[0-9a-f]{6}$/);
    expect(composeProjectName(project("/home/ana/zero-to-running"))).toBe(first);
    expect(composeProjectName(project("/home/ana/zero-to-running-2"))).not.toBe(first);
  });

  it("keeps the profile for isolated profiles, and COMPOSE_PROJECT_NAME wins", () => {
    expect(composeProjectName(project("/src/z", "test"))).toMatch(/^zero-to-running-test-[0-9a-f]{6}$/);
    expect(composeProjectName(project("/src/z", "full", { COMPOSE_PROJECT_NAME: "zero-to-running" }))).toBe(
      "zero-to-running",
    );
  });
});
