import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Seconds each slow file took in CI (`.ci/run` of 2026-12-03 20:23, two files at once, the Docker files beside the
 * others, which makes them about twice as long as alone): most of it is npm, Docker and stacks starting. A fresh clone
 * has no durations of its own; a stale figure only costs time. Files not named here count as a few seconds.
 */
export const expectedSeconds: Record<string, number> = {
  "packages/zero/test/e2e/newcomer.test.ts": 148,
  "packages/zero/test/e2e/compose.test.ts": 136,
  "packages/zero/test/e2e/compose-dashboard.test.ts": 80, // 123 in that run, ~40 of them waiting for its turn
  "packages/zero/test/e2e/devcontainer.test.ts": 62,
  "packages/zero/test/e2e/database-state.test.ts": 59,
  "packages/zero/test/e2e/monitoring-compose.test.ts": 46,
  "packages/zero/test/e2e/monitoring.test.ts": 36,
  "packages/zero/test/faults/liveness.test.ts": 29,
  "packages/zero/test/e2e/watch-compose.test.ts": 29,
  "packages/zero/test/e2e/traces.test.ts": 28,
  "packages/zero/test/e2e/traces-compose.test.ts": 28,
  "packages/zero/test/integration/kubernetes-runtime.test.ts": 27,
  "packages/zero/test/faults/concurrency.test.ts": 26,
  "packages/zero/test/integration/database-lifecycle.test.ts": 24,
  "packages/zero/test/faults/stop-and-orphans.test.ts": 24,
  "packages/zero/test/e2e/https.test.ts": 24,
  "packages/zero/test/integration/native-lifecycle.test.ts": 23,
  "packages/zero/test/e2e/https-compose.test.ts": 23,
  "packages/zero/test/e2e/compose-database.test.ts": 22,
  "packages/zero/test/e2e/make-dev.test.ts": 21,
  "packages/zero/test/integration/migrated-cluster.test.ts": 19,
  "packages/zero/test/integration/kubernetes-backup.test.ts": 18,
  "packages/zero/test/e2e/compose-snapshots.test.ts": 18,
  "apps/api/test/dev-hot-reload.test.ts": 18,
  "packages/zero/test/e2e/fifth-service.test.ts": 17,
  "packages/zero/test/security/restore.test.ts": 16,
  "packages/zero/test/e2e/parallel-stacks.test.ts": 15,
  "packages/zero/test/integration/snapshots.test.ts": 14,
  "packages/zero/test/faults/unkillable.test.ts": 13,
  "packages/zero/test/faults/disk.test.ts": 13,
  "packages/zero/test/faults/data-operations.test.ts": 13,
  "packages/zero/test/e2e/memcached-kind.test.ts": 13,
  "packages/zero/test/integration/start-early.test.ts": 11,
  "packages/zero/test/faults/data.test.ts": 10,
  "packages/zero/test/e2e/mcp-database.test.ts": 10,
  "packages/zero/test/e2e/dashboard-other-stacks.test.ts": 10,
  "packages/zero/test/e2e/dashboard-graph.test.ts": 10,
};
const unnamedSeconds = 3;

interface Planned {
  spec: TestSpecification;
  seconds: number;
  /** A file of the zero-docker project: one of them at a time (packages/zero/test/docker-turn.ts). */
  docker: boolean;
}

/**
 * Orders each group of files the way its workers will take them, so none sits idle: vitest hands the next file in
 * the list to whichever worker is free. Played out ahead with the expected durations, each free worker takes the
 * longest file left that it can start at once (a Docker file only when no other Docker file runs then), so the
 * long files start first and the Docker files, which wait for each other, fall beside the others.
 */
export function plannedOrder(files: Planned[], workers: number): Planned[] {
  const left = [...files].sort((a, b) => b.seconds - a.seconds);
  const freeAt: number[] = Array.from({ length: Math.max(1, workers) }, () => 0);
  let dockerFreeAt = 0;
  const order: Planned[] = [];
  while (left.length > 0) {
    const now = Math.min(...freeAt);
    const worker = freeAt.indexOf(now);
    const startable = left.findIndex((file) => !file.docker || dockerFreeAt <= now);
    // Only Docker files left, all waiting for the one running (-1): the next waits its turn.
    const [file] = left.splice(Math.max(startable, 0), 1);
    if (!file) break;
    const start = file.docker ? Math.max(now, dockerFreeAt) : now;
    freeAt[worker] = start + file.seconds;
    if (file.docker) dockerFreeAt = freeAt[worker];
    order.push(file);
  }
  return order;
}

export default class PlannedOrderSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const groups = new Map<number, Planned[]>();
    for (const spec of sorted) {
      const group = spec.project.config.sequence.groupOrder;
      const seconds = expectedSeconds[relative(this.ctx.config.root, spec.moduleId)] ?? unnamedSeconds;
      const planned = { spec, seconds, docker: spec.project.name === "zero-docker" };
      const files = groups.get(group) ?? [];
      files.push(planned);
      groups.set(group, files);
    }
    return [...groups.keys()]
      .sort((a, b) => a - b)
      .flatMap((group) => {
        const files = groups.get(group) ?? [];
        const workers = files[0]?.spec.project.config.maxWorkers ?? 1;
        return plannedOrder(files, workers).map((file) => file.spec);
      });
  }
}
