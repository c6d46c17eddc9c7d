import { describe, expect, it } from "vitest";
import type { Project } from "../../config/project.js";
import { FakeDocker } from "../../docker/fake-docker.js";
import type { StackEvent } from "../../orchestrate/events.js";
import { composeProjectName, noteLegacyVolumes } from "./project-name.js";

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

describe("data in the volumes of the old shared project name", () => {
  const notes = async (docker: FakeDocker, values: Record<string, string> = {}) => {
    const events: StackEvent[] = [];
    const name = composeProjectName(project("/src/z", "full", values));
    await noteLegacyVolumes(docker, project("/src/z", "full", values), name, (event) => events.push(event));
    return events.map((e) => (e as { message: string }).message);
  };

  it("is pointed at once the old project's volumes exist and this checkout has none", async () => {
    const docker = new FakeDocker([], [{ name: "zero-to-running_postgres-data", project: "zero-to-running" }]);
    const [note] = await notes(docker);
    expect(note).toContain("COMPOSE_PROJECT_NAME=zero-to-running");
    expect(note).toContain("zero-to-running_postgres-data");
  });

  it("is not mentioned when this checkout has its own volumes, there is no old data, or the name is chosen", async () => {
    const name = composeProjectName(project("/src/z"));
    const both = new FakeDocker(
      [],
      [
        { name: "zero-to-running_postgres-data", project: "zero-to-running" },
        { name: `${name}_postgres-data`, project: name },
      ],
    );
    expect(await notes(both)).toEqual([]);
    expect(await notes(new FakeDocker())).toEqual([]);
    const chosen = new FakeDocker([], [{ name: "zero-to-running_postgres-data", project: "zero-to-running" }]);
    expect(await notes(chosen, { COMPOSE_PROJECT_NAME: "mine" })).toEqual([]);
    expect(chosen.calls).toEqual([]); // asks Docker nothing
  });
});
