import { execFileSync } from "node:child_process";
import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerAnswers } from "../helpers/docker.js";
import { make } from "../helpers/make.js";
import { isolatedEnv } from "../helpers/stack-env.js";

const PORTS = ["WEB_PORT", "API_PORT", "API_DEBUG_PORT", "POSTGRES_PORT", "REDIS_PORT", "HTTPS_PORT"];

/**
 * make dev runtime=compose https=1 on the real Docker engine: the same Caddyfile in the caddy image (CADDY_IMAGE: the
 * official one, or CI's stand-in from Debian's package), the same CA folder as natively, curl checking the chain.
 */
describe
  .runIf(dockerAnswers || process.env.CI)
  .sequential("local HTTPS in containers (runtime=compose https=1)", () => {
    let env: Record<string, string>;
    const args = ["runtime=compose", "profile=test", "https=1"];
    const ca = () => join(env.ZERO_HOME!, "https", "caddy", "pki", "authorities", "local", "root.crt");
    const curl = (url: string, extra: string[] = []) =>
      execa("curl", ["-sS", "--max-time", "10", ...extra, url], { reject: false });

    beforeAll(async () => {
      env = await isolatedEnv(PORTS, { COMPOSE_PROJECT_NAME: "zero-e2e-https-compose" });
    });

    afterAll(async () => {
      await make("down", [...args, "volumes=1", "yes=1"], env);
      rmSync(env.ZERO_HOME!, { recursive: true, force: true });
    });

    it("starts Caddy in a container after the web app and the API, with the https URLs in the summary", async () => {
      const result = await make("dev", args, env);
      expect(result.exitCode, result.all).toBe(0);
      expect(result.all).toMatch(/https\s+healthy in \d+ ms/);
      expect(result.all).toContain(`Web         https://app.localhost:${env.HTTPS_PORT}`);
    }, 300_000);

    it("serves both names with a certificate from the project's CA folder, which stays private", async () => {
      const page = await curl(`https://app.localhost:${env.HTTPS_PORT}/`, [
        "--cacert",
        ca(),
        "-o",
        "/dev/null",
        "-w",
        "%{http_code} %{ssl_verify_result}",
      ]);
      expect(page.stdout, page.stderr).toBe("200 0");
      const ready = await curl(`https://api.localhost:${env.HTTPS_PORT}/health/ready`, ["--cacert", ca()]);
      expect(JSON.parse(ready.stdout)).toMatchObject({ status: "ready" });
      expect((await curl(`https://api.localhost:${env.HTTPS_PORT}/health/ready`)).exitCode).toBe(60);
      const allowed = await curl(`https://api.localhost:${env.HTTPS_PORT}/api/v1/environment`, [
        "--cacert",
        ca(),
        "-D",
        "-",
        "-o",
        "/dev/null",
        "-H",
        `Origin: https://app.localhost:${env.HTTPS_PORT}`,
      ]);
      expect(allowed.stdout.toLowerCase()).toContain(
        `access-control-allow-origin: https://app.localhost:${env.HTTPS_PORT}`,
      );
      // Made by zero before Docker could make it (root, 0755): the folder that holds the CA's keys is private.
      expect(statSync(join(env.ZERO_HOME!, "https")).mode & 0o777).toBe(0o700);
      expect(
        statSync(join(env.ZERO_HOME!, "https", "caddy", "pki", "authorities", "local", "root.key")).mode & 0o777,
      ).toBe(0o600);
      // Published on loopback only.
      const published = execFileSync(
        "docker",
        [
          "ps",
          "--filter",
          "label=com.docker.compose.project=zero-e2e-https-compose",
          "--filter",
          "label=dev.zero.service=https",
          "--format",
          "{{.Ports}}",
        ],
        { encoding: "utf8" },
      );
      expect(published).toContain(`127.0.0.1:${env.HTTPS_PORT}->8443/tcp`);
      expect(published).not.toContain("0.0.0.0:");
    });
  });
