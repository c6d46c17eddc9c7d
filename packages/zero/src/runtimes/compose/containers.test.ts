import { describe, expect, it } from "vitest";
import { statusOf } from "../service-status.js";
import { containerRecord, containerUsage, parseSize, projectContainers } from "./containers.js";
import { FakeDocker, type FakeContainer } from "../../docker/fake-docker.js";

// The compose runtime's reading of Docker against the FAKE Docker (a fake of the docker command's protocol boundary:
// the same output formats, no daemon). Real Docker runs the same code in test/e2e/compose*.test.ts.

const anonymous = "a".repeat(64);
const containers = (): FakeContainer[] => [
  {
    id: "c1postgres",
    project: "app-1234",
    service: "postgres",
    status: "running",
    startedAt: "2026-01-01T00:00:00Z",
    volumes: ["app-1234_postgres-data", anonymous],
    health: {
      status: "healthy",
      log: [{ start: "2026-01-01T00:00:05.000Z", end: "2026-01-01T00:00:05.040Z", output: "accepting connections\n" }],
    },
    cpu: "1.25%",
    memory: "40.5MiB / 1.944GiB",
  },
  { id: "c2api", project: "app-1234", service: "api", status: "exited", exitCode: 137, restarts: 3 },
  {
    id: "c3redis",
    project: "app-1234",
    service: "redis",
    status: "running",
    health: {
      status: "unhealthy",
      log: [
        { start: "2026-01-01T00:00:05Z", end: "2026-01-01T00:00:06Z", output: "NOAUTH Authentication required.\n" },
      ],
    },
  },
  { id: "c9other", project: "other-5678", service: "postgres", status: "running" },
];

describe("compose status from Docker", () => {
  it("finds only the project's containers by Compose's label and reads state, health and volumes", async () => {
    const fake = new FakeDocker(containers());
    const found = await projectContainers(fake, "app-1234");
    expect(found.map((c) => c.service)).toEqual(["postgres", "api", "redis"]);
    expect(found[0]).toEqual({
      id: "c1postgres",
      service: "postgres",
      status: "running",
      exitCode: 0,
      startedAt: "2026-01-01T00:00:00Z",
      pid: 4242,
      restarts: 0,
      anonymousVolumes: [anonymous],
      health: {
        status: "healthy",
        lastOutput: "accepting connections",
        lastCheckMs: 40,
        lastCheckAt: "2026-01-01T00:00:05.040Z",
      },
    });
    expect(fake.calls).toEqual(["projectContainerIds app-1234", "inspect c1postgres c2api c3redis"]);
  });

  it("maps a container to zero's service status: a crash is failed with its code, an unhealthy one says why", async () => {
    const [postgres, api, redis] = await projectContainers(new FakeDocker(containers()), "app-1234");
    expect(statusOf("postgres", containerRecord(postgres!, { main: 5432 }))).toMatchObject({
      name: "postgres",
      state: "running",
      health: "healthy",
      lastCheckMs: 40,
      lastCheckAt: "2026-01-01T00:00:05.040Z",
      ports: { main: 5432 },
    });
    expect(containerRecord(api!, {})).toMatchObject({
      state: "failed",
      health: "unknown",
      restarts: 3,
      lastError: "exited with code 137",
    });
    expect(containerRecord(redis!, {})).toMatchObject({
      state: "running",
      health: "unhealthy",
      lastError: "NOAUTH Authentication required.",
    });
  });

  it("a container stopped cleanly is stopped, not failed", async () => {
    const fake = new FakeDocker(containers());
    await fake.stop("c1postgres");
    const [postgres] = await projectContainers(fake, "app-1234");
    expect(containerRecord(postgres!, {})).toMatchObject({ state: "stopped", health: "unknown", lastError: undefined });
  });

  it("reads CPU and memory of running containers from docker stats (binary and decimal units)", async () => {
    const usage = await containerUsage(new FakeDocker(containers()), ["c1postgres", "c2api"]);
    expect([...usage.keys()]).toEqual(["c1postgres"]); // an exited container has no sample
    expect(usage.get("c1postgres")).toEqual({ cpu: 1.25, memoryBytes: 40.5 * 1024 ** 2 });
    expect(parseSize("1.5GB")).toBe(1.5e9);
    expect(parseSize("12kB")).toBe(12_000);
    expect(parseSize("lots")).toBeNaN();
  });

  it("has nothing when no container exists, or one vanished between ps and inspect", async () => {
    expect(await projectContainers(new FakeDocker(containers()), "none-0000")).toEqual([]);
    const fake = new FakeDocker(containers());
    const listed = fake.projectContainerIds.bind(fake);
    fake.projectContainerIds = async (project) => {
      const ids = await listed(project);
      fake.containers.splice(0, 1); // removed right after being listed
      return ids;
    };
    expect(await projectContainers(fake, "app-1234")).toEqual([]);
  });
});
