import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ComposeProject } from "../../docker/docker-client.js";
import { FakeDocker } from "../../docker/fake-docker.js";
import { createContainers, removeContainers } from "./run-compose.js";

// What zero does around `compose up` and `compose down`, against the FAKE Docker (docker/fake-docker.ts: containers
// and volumes in memory, no daemon). Real Compose runs the same code in test/e2e/compose*.test.ts.

const secret = ["s3", "cret", "-value"].join("");
const mask = (text: string) => text.replaceAll(secret, "***");
const anonymous = "b".repeat(64);

function composeFile(services: string[], volumes: string[] = []): string {
  const file = join(mkdtempSync(join(tmpdir(), "zero-fake-compose-")), "docker-compose.yml");
  const lines = [
    "services:",
    ...services.map((s) => `  ${s}:\n    image: ${s}`),
    ...(volumes.length ? ["volumes:", ...volumes.map((v) => `  ${v}:`)] : []),
  ];
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

const project = (file: string): ComposeProject => ({
  name: "app-1234",
  file,
  root: "/src/app",
  version: 2,
  secrets: {},
});

describe("creating and removing a Compose project's containers", () => {
  it("up creates a stopped container per service and the named volumes; a service gone from the file goes", async () => {
    const docker = new FakeDocker();
    await createContainers(docker, project(composeFile(["postgres", "api"], ["postgres-data"])), mask);
    expect(docker.containers.map((c) => [c.service, c.status])).toEqual([
      ["postgres", "created"],
      ["api", "created"],
    ]);
    expect(await docker.projectVolumes("app-1234")).toEqual(["app-1234_postgres-data"]);
    await createContainers(docker, project(composeFile(["postgres"], ["postgres-data"])), mask);
    expect(docker.containers.map((c) => c.service)).toEqual(["postgres"]);
  });

  it("a failed up says what Docker said, masked, with the diagnosis of a known cause", async () => {
    const docker = new FakeDocker();
    docker.composeFailure = `write /var/lib/docker/tmp: No space left on device (password ${secret})`;
    const error = await createContainers(docker, project(composeFile(["api"])), mask).catch((e) => e);
    expect(error).toMatchObject({
      code: "ZERO_SERVICE_FAILED",
      message: "Docker Compose could not build or create the containers.",
    });
    expect(error.details.join("\n")).toContain("password ***");
    expect(error.details.join("\n")).not.toContain(secret);
    expect(error.why).toMatch(/disk is full/);
    expect(docker.containers).toEqual([]);
  });

  it("down removes the containers and their unnamed volumes, and keeps the data unless asked", async () => {
    const docker = new FakeDocker(
      [{ id: "c1", project: "app-1234", service: "api", status: "running", volumes: [anonymous] }],
      [{ name: anonymous }, { name: "app-1234_postgres-data", project: "app-1234" }],
    );
    await removeContainers(docker, project("unused.yml"), false, mask);
    expect(docker.containers).toEqual([]);
    expect(docker.volumes.map((v) => v.name)).toEqual(["app-1234_postgres-data"]);
    await removeContainers(docker, project("unused.yml"), true, mask);
    expect(docker.volumes).toEqual([]);
    expect(docker.calls).toContain("composeDown app-1234 --volumes");
  });

  it("a failed down names the project to look at", async () => {
    const docker = new FakeDocker([{ id: "c1", project: "app-1234", service: "api", status: "running" }]);
    docker.composeFailure = "Error response from daemon: conflict";
    const error = await removeContainers(docker, project("unused.yml"), false, mask).catch((e) => e);
    expect(error).toMatchObject({ code: "ZERO_SERVICE_FAILED", details: ["Error response from daemon: conflict"] });
    expect(error.next).toContain("label=com.docker.compose.project=app-1234");
  });
});
