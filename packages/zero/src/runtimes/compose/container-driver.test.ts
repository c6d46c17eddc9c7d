import { describe, expect, it } from "vitest";
import type { Project } from "../../config/project.js";
import { FakeDocker, type FakeContainer } from "../../docker/fake-docker.js";
import type { Service } from "../../stack/schema.js";
import { ContainerDriver } from "./container-driver.js";
import { projectContainers } from "./containers.js";

// How the compose runtime starts created containers and notices one that stops, against the FAKE Docker
// (docker/fake-docker.ts). Real Docker runs the same driver in test/e2e/compose*.test.ts.

const secret = ["hun", "ter", "2"].join("");
// Pure logic: a plain object stands in for a loaded project and a service without a start-up step.
const project = { root: "/src/app", mask: (text: string) => text.replaceAll(secret, "***") } as unknown as Project;
const cache = { name: "cache", kind: "redis" } as unknown as Service;

async function driverFor(container: FakeContainer) {
  const docker = new FakeDocker([container]);
  const driver = new ContainerDriver(docker, project, await projectContainers(docker, "app-1234"), () => {});
  return { docker, driver };
}

describe("the container driver", () => {
  it("starts the service's created container, and shows its last log lines masked", async () => {
    const { docker, driver } = await driverFor({
      id: "c1cache",
      project: "app-1234",
      service: "cache",
      status: "created",
      logs: ["booting", `requirepass ${secret}`, "ready"],
    });
    await driver.start(cache);
    expect(docker.containers[0]!.status).toBe("running");
    expect(await driver.logTail(cache, 2)).toEqual(["requirepass ***", "ready"]);
    driver.close();
  });

  it("reports a container that exits, with its exit code, and one Docker keeps restarting", async () => {
    const { docker, driver } = await driverFor({
      id: "c1cache",
      project: "app-1234",
      service: "cache",
      status: "running",
    });
    const exited = driver.exited(cache);
    Object.assign(docker.containers[0]!, { status: "exited", exitCode: 137 });
    expect(await exited).toBe("the container exited with code 137");
    Object.assign(docker.containers[0]!, { status: "restarting", exitCode: 1, restarts: 2 });
    expect(await driver.exited(cache)).toBe("the container keeps exiting (code 1, restarted 2 times)");
    driver.close();
  });

  it("a start Docker refuses fails with Docker's own words; a service without a container says so", async () => {
    const { docker, driver } = await driverFor({
      id: "c1cache",
      project: "app-1234",
      service: "cache",
      status: "created",
    });
    docker.containers.splice(0, 1); // removed by hand after Compose created it
    await expect(driver.start(cache)).rejects.toThrow("Error response from daemon: No such container: c1cache");
    await expect(driver.start({ ...cache, name: "queue" })).rejects.toThrow("Compose created no container for queue");
    driver.close();
  });
});
