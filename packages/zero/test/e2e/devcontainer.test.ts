import { chownSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

const cli = `${repoRoot}node_modules/.bin/devcontainer`;
// No registry is reachable in CI: there the image is built from the stand-in node image (infrastructure/docker/standins).
const base = process.env.DEVCONTAINER_BASE_IMAGE ?? process.env.NODE_IMAGE;
const env = base ? { DEVCONTAINER_BASE_IMAGE: base } : {};

describe("the devcontainer (.devcontainer/, Reopen in Container / Codespaces)", () => {
  it("is read by the Dev Containers CLI with every stack port forwarded and labelled", async () => {
    const result = await execa(cli, ["read-configuration", "--workspace-folder", repoRoot], { env, reject: false });
    expect(result.exitCode, result.stderr).toBe(0);
    const { configuration } = JSON.parse(result.stdout);
    // The stack's default ports (stack.yaml): web, api, debugger, PostgreSQL, Redis.
    expect(configuration.forwardPorts).toEqual([3000, 3001, 9229, 5432, 6379]);
    for (const port of configuration.forwardPorts) expect(configuration.portsAttributes[port].label).toBeTruthy();
    expect(configuration.portsAttributes["3000"].onAutoForward).toBe("openBrowser");
    expect(configuration.remoteUser).toBe("node");
    expect(configuration.build.args.BASE_IMAGE).toBe(base ?? "");
  });

  it("builds on the local Docker engine into an image with what make dev needs", async () => {
    const image = "zero-to-running-devcontainer:test";
    const build = await execa(cli, ["build", "--workspace-folder", repoRoot, "--image-name", image], {
      env,
      reject: false,
      all: true,
      timeout: 600_000,
    });
    expect(build.exitCode, build.all).toBe(0);
    const tools = await execa(
      "docker",
      [
        "run",
        "--rm",
        "--user",
        "node",
        image,
        "sh",
        "-c",
        "node --version && make --version && redis-server --version && psql --version && redis-cli --version",
      ],
      { reject: false, all: true },
    );
    expect(tools.exitCode, tools.all).toBe(0);
    expect(tools.all).toMatch(/^v20\./m);
    expect(tools.all).toMatch(/Redis server v=/);
    expect(tools.all).toMatch(/psql \(PostgreSQL\)/);
  }, 660_000);

  // What "Reopen in Container" does: create the container, run postCreateCommand (npm ci, make hooks), then the
  // developer types `make dev`. On a fresh clone, so the container's npm ci never touches this checkout.
  it.skipIf(process.getuid?.() !== 0)(
    "runs make dev inside the container as its user: all healthy, then make down",
    async () => {
      const clone = mkdtempSync(join(tmpdir(), "zero-devcontainer-"));
      const label = `zero-test=devcontainer-${process.pid}`;
      try {
        await execa("git", ["clone", "-q", repoRoot, clone]);
        chownTree(clone, 1000, 1000); // the container's `node` user (uid 1000) owns a workspace it creates files in
        // A machine behind a TLS-inspecting proxy (this CI) trusts an extra CA: hand it to npm in the container too.
        const hostCa = process.env.NODE_EXTRA_CA_CERTS;
        const caArgs = hostCa
          ? [
              "--mount",
              `type=bind,source=${hostCa},target=/usr/local/share/host-ca.crt`,
              "--remote-env",
              "NODE_EXTRA_CA_CERTS=/usr/local/share/host-ca.crt",
            ]
          : [];
        const up = await execa(cli, ["up", "--workspace-folder", clone, "--id-label", label, ...caArgs], {
          env,
          reject: false,
          all: true,
          timeout: 900_000,
        });
        expect(up.exitCode, up.all).toBe(0);
        const exec = (command: string) =>
          execa(cli, ["exec", "--workspace-folder", clone, "--id-label", label, "sh", "-c", command], {
            env,
            reject: false,
            all: true,
            timeout: 300_000,
          });
        const dev = await exec("make dev");
        expect(dev.exitCode, dev.all).toBe(0);
        expect(dev.all).toMatch(/All \d+ services healthy/);
        const checks = await exec(
          "whoami && node -e \"fetch('http://127.0.0.1:3001/health/ready').then((r) => process.exit(r.ok ? 0 : 1))\" && make status",
        );
        expect(checks.exitCode, checks.all).toBe(0);
        expect(checks.all).toMatch(/^node$/m);
        const down = await exec("make down");
        expect(down.exitCode, down.all).toBe(0);
      } finally {
        const ids = await execa("docker", ["ps", "-aq", "--filter", `label=${label}`], { reject: false });
        if (ids.stdout.trim()) await execa("docker", ["rm", "-f", ...ids.stdout.trim().split("\n")], { reject: false });
        rmSync(clone, { recursive: true, force: true });
      }
    },
    1_200_000,
  );
});

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  if (!statSync(path).isDirectory()) return;
  for (const entry of readdirSync(path)) chownTree(join(path, entry), uid, gid);
}
