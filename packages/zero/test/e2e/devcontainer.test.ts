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
});
