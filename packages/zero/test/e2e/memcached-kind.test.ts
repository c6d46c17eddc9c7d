import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runZero } from "../helpers/cli.js";
import { dockerAnswers } from "../helpers/docker.js";
import { isolatedEnv } from "../helpers/stack-env.js";

// The memcached kind (packages/zero/src/kinds/memcached.ts, added as one file plus its registry line): natively the
// OS's memcached (installed from the OS's packages when missing and zero may), under compose its image (a stand-in
// built from infrastructure/docker/standins/memcached on a machine without a registry). Real processes, real Docker.
const service = `
  sessions:
    kind: memcached
    description: Memcached - a second cache
    profiles: [test]
    ports:
      main: \${MEMCACHED_PORT:-11211}
    healthcheck: { type: tcp, port: main }
`;

/** One memcached text-protocol exchange: store a value, read it back. */
function setAndGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.setTimeout(5_000, () => socket.destroy(new Error("memcached did not answer within 5 s")));
    socket.on("connect", () => socket.write("set greeting 0 0 5\r\nhello\r\nget greeting\r\n"));
    socket.on("data", (chunk) => {
      answer += chunk.toString();
      if (answer.includes("END\r\n")) socket.end(() => resolve(answer));
    });
    socket.on("error", reject);
  });
}

describe.sequential("the memcached kind", () => {
  let root: string;
  let env: Record<string, string>;
  const zero = (...args: string[]) => runZero([...args, "--profile", "test"], { cwd: root, env });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "zero-memcached-"));
    writeFileSync(
      join(root, "stack.yaml"),
      `${readFileSync(join(repoRoot, "stack.yaml"), "utf8").trimEnd()}\n${service}`,
    );
    env = await isolatedEnv(["MEMCACHED_PORT"], { COMPOSE_PROJECT_NAME: "zero-e2e-memcached" });
  });

  afterAll(async () => {
    await zero("down");
    if (dockerAnswers) await zero("down", "--runtime", "compose", "--volumes");
    rmSync(root, { recursive: true, force: true });
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  });

  it("runs natively on 127.0.0.1, healthy, stores and returns a value, and is in the summary", async () => {
    const up = await zero("up", "sessions");
    expect(up.exitCode, up.all).toBe(0);
    expect(up.all).toMatch(/sessions\s+healthy in \d+ ms/);
    expect(up.all).toMatch(new RegExp(`Memcached\\s+127\\.0\\.0\\.1:${env.MEMCACHED_PORT}`));
    expect(await setAndGet(Number(env.MEMCACHED_PORT))).toContain("STORED\r\nVALUE greeting 0 5\r\nhello\r\nEND");
    expect((await zero("status")).all).toMatch(/sessions\s+running\s+healthy/);
    expect((await zero("down")).exitCode).toBe(0);
  }, 180_000);

  it.runIf(dockerAnswers || process.env.CI)(
    "runs in compose from its image, healthy, and stores and returns a value",
    async () => {
      if (!process.env.MEMCACHED_IMAGE) {
        // A registry-less machine has the stand-ins' Debian base; elsewhere the official image is pulled.
        const base = "zero-standin/debian:bookworm";
        if ((await execa("docker", ["image", "inspect", base], { reject: false })).exitCode === 0) {
          const here = join(repoRoot, "infrastructure/docker/standins/memcached");
          await execa("docker", [
            "build",
            "-q",
            "-t",
            "zero-standin/memcached:1.6",
            "--build-arg",
            `BASE=${base}`,
            here,
          ]);
          env.MEMCACHED_IMAGE = "zero-standin/memcached:1.6";
        }
      }
      const up = await zero("up", "sessions", "--runtime", "compose");
      expect(up.exitCode, up.all).toBe(0);
      expect(up.all).toMatch(/sessions\s+healthy in \d+ ms/);
      expect(await setAndGet(Number(env.MEMCACHED_PORT))).toContain("STORED\r\nVALUE greeting 0 5\r\nhello\r\nEND");
      const status = await zero("status", "--runtime", "compose");
      expect(status.all).toMatch(/sessions\s+running\s+healthy/);
    },
    300_000,
  );
});
