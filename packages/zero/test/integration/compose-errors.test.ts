import { chmodSync, mkdtempSync, symlinkSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { dockerProblem } from "../../src/runtimes/compose/docker-ready.js";
import { repoRoot, runZero } from "../helpers/cli.js";

const hasDockerCli = (await execa("docker", ["--version"], { reject: false })).exitCode === 0;

/** runtime=compose without a usable Docker: each case names its cause and fix, exits 4, starts nothing. */
describe("compose runtime without a usable Docker", () => {
  const servers: Server[] = [];
  afterAll(() => {
    for (const server of servers) server.close();
  });

  it("refuses CHANGE_ME placeholder passwords unless forced", async () => {
    const env = { PATH: process.env.PATH!, POSTGRES_PASSWORD: "CHANGE_ME_postgres_password", DOCKER_HOST: "unix:///nonexistent/docker.sock" };
    const refused = await runZero(["up", "--runtime", "compose"], { cwd: repoRoot, env });
    expect(refused.exitCode).toBe(2);
    expect(refused.all).toContain("POSTGRES_PASSWORD still holds a CHANGE_ME placeholder; runtime compose refuses it.");
    expect(refused.all).toContain("make secrets");
    // Forced, it goes on to Docker (here: no daemon on that socket).
    const forced = await runZero(["up", "--runtime", "compose", "--force"], { cwd: repoRoot, env });
    expect(forced.all).toContain("ZERO_DOCKER_UNAVAILABLE");
  });

  it("says Docker is not installed when there is no docker command", async () => {
    const bin = mkdtempSync(join(tmpdir(), "zero-no-docker-"));
    symlinkSync(process.execPath, join(bin, "node"));
    const result = await runZero(["status", "--runtime", "compose"], { cwd: repoRoot, env: { PATH: bin } });
    expect(result.exitCode).toBe(4);
    expect(result.all).toContain("ZERO_PREREQ_MISSING: Docker is not installed");
    expect(result.all).toContain("apt-get install docker.io docker-compose");
  });

  it.runIf(hasDockerCli)("says the daemon is not running when nothing answers on the socket", async () => {
    const result = await runZero(["up", "--runtime", "compose"], { cwd: repoRoot, env: { PATH: process.env.PATH!, DOCKER_HOST: "unix:///nonexistent/docker.sock" } });
    expect(result.exitCode).toBe(4);
    expect(result.all).toContain("ZERO_DOCKER_UNAVAILABLE: The Docker daemon is not running.");
    expect(result.all).toContain("sudo systemctl start docker");
  });

  it.runIf(hasDockerCli && process.getuid?.() === 0)("says permission denied when the user may not use the socket", async () => {
    // A socket only root may open, and the real docker client run as nobody against it.
    const dir = mkdtempSync(join(tmpdir(), "zero-docker-sock-"));
    chmodSync(dir, 0o755);
    const socket = join(dir, "docker.sock");
    const server = createServer().listen(socket);
    servers.push(server);
    await new Promise((resolve) => server.once("listening", resolve));
    chmodSync(socket, 0o600);
    const result = await execa("runuser", ["-u", "nobody", "--", "docker", "version"], { env: { DOCKER_HOST: `unix://${socket}` }, reject: false });
    const problem = dockerProblem(result);
    expect(problem?.code).toBe("ZERO_DOCKER_UNAVAILABLE");
    expect(problem?.message).toContain("permission denied");
    expect(problem?.next).toContain("usermod -aG docker");
  });
});
