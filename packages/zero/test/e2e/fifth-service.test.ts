import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runZero } from "../helpers/cli.js";
import { isolatedEnv } from "../helpers/stack-env.js";
import { dockerAnswers } from "../helpers/docker.js";

// A fifth service added by editing a copy of stack.yaml only (no change to zero): MailDev from the npm registry,
// natively as a process and in compose as an image (a stand-in built here from infrastructure/docker/standins/maildev
// when MAILDEV_IMAGE does not name one). Real processes, real Docker, real HTTP.
const MAILDEV = "3.0.0";
const tools = join(tmpdir(), `zero-e2e-maildev-${MAILDEV}`);

const mailService = `
  mail:
    kind: image
    description: MailDev - catches the mail the app sends
    profiles: [test]
    # Natively: the npm package's program (a process stand-in for the image).
    cwd: ${tools}
    command: [maildev, --smtp, "\${MAIL_SMTP_PORT:-1025}", --web, "\${MAIL_WEB_PORT:-1080}", --ip, 127.0.0.1, --web-ip, 127.0.0.1]
    ports:
      smtp: \${MAIL_SMTP_PORT:-1025}
      web: \${MAIL_WEB_PORT:-1080}
    healthcheck: { type: http, port: web, path: /api/healthz, timeout_ms: 2000 }
    container:
      image: \${MAILDEV_IMAGE:-maildev/maildev:2.2.1}
`;

describe.sequential("a fifth service from stack.yaml alone (MailDev)", () => {
  let root: string;
  let env: Record<string, string>;
  const zero = (...args: string[]) => runZero([...args, "--profile", "test"], { cwd: root, env });
  const emails = async () => (await fetch(`http://127.0.0.1:${env.MAIL_WEB_PORT}/api/email`)).json();

  beforeAll(async () => {
    if (!existsSync(join(tools, "node_modules", ".bin", "maildev"))) {
      mkdirSync(tools, { recursive: true });
      await execa("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", `maildev@${MAILDEV}`], {
        cwd: tools,
      });
    }
    // The project: a copy of stack.yaml with one more entry, and nothing else.
    root = mkdtempSync(join(tmpdir(), "zero-fifth-"));
    writeFileSync(
      join(root, "stack.yaml"),
      `${readFileSync(join(repoRoot, "stack.yaml"), "utf8").trimEnd()}\n${mailService}`,
    );
    env = await isolatedEnv(["MAIL_SMTP_PORT", "MAIL_WEB_PORT"], { COMPOSE_PROJECT_NAME: "zero-e2e-fifth" });
  }, 300_000);

  afterAll(async () => {
    await zero("down");
    if (dockerAnswers) await zero("down", "--runtime", "compose", "--volumes");
    rmSync(root, { recursive: true, force: true });
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  });

  it("runs natively as a process, healthy, and serves its API", async () => {
    const up = await zero("up", "mail");
    expect(up.exitCode, up.all).toBe(0);
    expect(up.all).toMatch(/mail\s+healthy in \d+ ms/);
    expect(await emails()).toEqual([]);
    const status = await zero("status");
    expect(status.all).toMatch(/mail\s+running\s+healthy/);
    expect((await zero("down")).exitCode).toBe(0);
  }, 120_000);

  it.runIf(dockerAnswers || process.env.CI)(
    "runs in compose from its image, healthy, and serves its API",
    async () => {
      if (!process.env.MAILDEV_IMAGE) {
        const nodeImage = process.env.NODE_IMAGE ? ["--build-arg", `NODE_IMAGE=${process.env.NODE_IMAGE}`] : [];
        await execa("docker", [
          "build",
          "-q",
          "-t",
          "zero-standin/maildev:3",
          ...nodeImage,
          join(repoRoot, "infrastructure/docker/standins/maildev"),
        ]);
        env.MAILDEV_IMAGE = "zero-standin/maildev:3";
      }
      const up = await zero("up", "mail", "--runtime", "compose");
      expect(up.exitCode, up.all).toBe(0);
      expect(up.all).toMatch(/mail\s+healthy in \d+ ms/);
      expect(await emails()).toEqual([]);
      const file = readFileSync(join(env.ZERO_HOME!, "compose", "docker-compose.yml"), "utf8");
      expect(file).toContain(`image: ${env.MAILDEV_IMAGE ?? process.env.MAILDEV_IMAGE}`);
      expect(file).not.toContain("--web-ip"); // the native command stays out of the container
    },
    300_000,
  );
});
