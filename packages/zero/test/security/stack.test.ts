import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DSN_CANARY, SIGNING_KEY_CANARY, securityProject } from "./security-stack.js";

// One real stack of the security fixture (Redis with a password, an app that prints escape sequences and its
// secrets), started by the real CLI in a folder other users may enter; each threat tried against it.

let project: Awaited<ReturnType<typeof securityProject>>;
const isRoot = process.getuid?.() === 0;
const otherUser = "zero-security-probe";

beforeAll(async () => {
  project = await securityProject();
  const up = await project.zero("dev");
  if (up.exitCode !== 0) throw new Error(`make dev failed:\n${up.all}`);
  if (isRoot && spawnSync("id", [otherUser]).status !== 0)
    execFileSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", otherUser]);
});

afterAll(async () => {
  await project?.cleanUp();
});

/** Every file and folder under dir (symlinks not followed). */
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? [path, ...walk(path)] : [path];
  });
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe("threat: another local user reads secret files", () => {
  it("promise: .env is created 0600 though .env.example is 0644", () => {
    expect(mode(join(project.root, ".env.example"))).toBe(0o644);
    expect(mode(join(project.root, ".env")).toString(8)).toBe("600");
  });

  it("promise: the supervisor's state (its token) and Redis's config are 0600 in 0700 folders", () => {
    expect(mode(join(project.home, "state.json")).toString(8)).toBe("600");
    expect(mode(join(project.home, "run")).toString(8)).toBe("700");
    expect(mode(join(project.home, "run", "redis.conf")).toString(8)).toBe("600");
  });

  it.skipIf(!isRoot)("promise: a second local user (runuser) reads none of .env or .zero's secret files", () => {
    const secretFiles = [join(project.root, ".env"), ...walk(project.home).filter((path) => statSync(path).isFile())];
    const readable = secretFiles.filter(
      (file) => spawnSync("runuser", ["-u", otherUser, "--", "cat", file], { stdio: "ignore" }).status === 0,
    );
    expect(readable.map((file) => file.slice(project.root.length + 1))).toEqual([]);
  });

  it("promise: a secret file found readable by others is made private again, with one note line", async () => {
    chmodSync(join(project.root, ".env"), 0o644);
    const status = await project.zero("status");
    expect(mode(join(project.root, ".env")).toString(8)).toBe("600");
    expect(status.stderr).toContain("Made private (other users could read them): .env (was 644).");
  });
});

describe("threat: a read-only command replaces passwords", () => {
  it("promise: make status with .env deleted under a running stack writes no .env and says ZERO_ENV_MISSING", async () => {
    const env = join(project.root, ".env");
    copyFileSync(env, `${env}.kept`);
    rmSync(env);
    try {
      const status = await project.zero("status");
      const config = await project.zero("config");
      expect(existsSync(env)).toBe(false);
      // status still reports the stack (it must work whatever happened to the configuration), and says why
      expect(status.stderr).toContain("ZERO_ENV_MISSING");
      expect(config.exitCode).toBe(2);
      expect(config.stderr).toContain("ZERO_ENV_MISSING");
    } finally {
      rmSync(env, { force: true });
      copyFileSync(`${env}.kept`, env);
      rmSync(`${env}.kept`);
    }
  });
});

describe("threat: a service's output attacks the terminal", () => {
  it("promise: make logs shows escape sequences and the bell as text, never as the bytes a terminal obeys", async () => {
    const logs = await project.zero("logs", "app", "--no-follow");
    expect(logs.exitCode, logs.all).toBe(0);
    expect(logs.stdout).toContain("title \\x1b]0;owned\\x07 clear \\x1b[2J\\x1b[H bell \\x07 done");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the bytes that must not reach a terminal
    expect(logs.stdout).not.toMatch(/[\u001b\u0007\u009b]/);
  });

  it("promise: bytes that are not UTF-8 are shown escaped (\\xff), not dropped or replaced", async () => {
    const logs = await project.zero("logs", "app", "--no-follow");
    expect(logs.stdout).toContain("bad \\xff\\xfe utf8");
    expect(logs.stdout).not.toContain("\ufffd");
  });
});

describe("threat: a program the stack runs calls control", () => {
  /** The control token a running service was given, read from its environment as the service itself sees it. */
  function serviceToken(service: string): { url: string; token: string } {
    const state = JSON.parse(readFileSync(join(project.home, "state.json"), "utf8"));
    const environ = readFileSync(`/proc/${state.services[service].pid}/environ`, "utf8").split("\0");
    const value = (name: string) => environ.find((entry) => entry.startsWith(`${name}=`))!.slice(name.length + 1);
    return { url: value("ZERO_CONTROL_URL"), token: value("ZERO_CONTROL_TOKEN") };
  }
  const call = (url: string, token: string, method: string, path: string) =>
    fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });

  it("promise: a service's token reads status and logs but cannot stop the stack or restart a service", async () => {
    const { url, token } = serviceToken("app");
    expect((await call(url, token, "GET", "/v1/status")).status).toBe(200);
    expect((await call(url, token, "GET", "/v1/logs?tail=1")).status).toBe(200);
    expect((await call(url, token, "POST", "/v1/services/redis/restart")).status).toBe(403);
    expect((await call(url, token, "POST", "/v1/down")).status).toBe(403);
    expect((await project.zero("status")).exitCode).toBe(0); // still up
  });

  it("promise: only the CLI's token (in the 0600 state file) is accepted for down; a made-up one gets 401", async () => {
    const { url } = serviceToken("app");
    expect((await call(url, "not-the-token", "GET", "/v1/status")).status).toBe(401);
    const read = readFileSync(join(project.home, "run", "control-token-read"), "utf8");
    expect(mode(join(project.home, "run", "control-token-read")).toString(8)).toBe("600");
    expect((await call(url, read, "POST", "/v1/down")).status).toBe(403);
  });
});

describe("threat: a secret without a secret name", () => {
  it("promise: a generated value (SESSION_KEY, a CHANGE_ME in .env.example) is masked in logs, config and status", async () => {
    const canary = project.envValues().SESSION_KEY!;
    expect(canary.length).toBeGreaterThan(8);
    const outputs = await Promise.all([
      project.zero("logs", "--no-follow"),
      project.zero("config"),
      project.zero("status", "--json"),
    ]);
    for (const output of outputs) expect(output.all).not.toContain(canary);
    expect(outputs[0]!.stdout).toContain("session key is ****");
  });
});

describe("threat: zero prints or writes a secret that has no secret's name", () => {
  it("promise: a declared secret (with \" and \\) and a *_FILE file's contents are in no CLI output, control API answer or file under .zero", async () => {
    // Searched by each canary's plain head (before its " and \\), so a JSON-escaped, URL-encoded or cut form is found too.
    const canaries = [DSN_CANARY.slice(0, DSN_CANARY.indexOf('"')), SIGNING_KEY_CANARY.slice(0, 14)];
    expect(canaries[0]).toBe("dsn-canary-");
    const leaks = (where: string, text: string) =>
      canaries.filter((canary) => text.includes(canary)).map((canary) => `${canary} in ${where}`);
    const found: string[] = [];
    for (const args of [["logs", "--no-follow"], ["config"], ["config", "--json"], ["status"], ["status", "--json"]]) {
      const output = await project.zero(...args);
      found.push(...leaks(`zero ${args.join(" ")}`, output.all ?? ""));
    }
    const state = JSON.parse(readFileSync(join(project.home, "state.json"), "utf8"));
    const { controlPort, token } = state.supervisor;
    for (const path of ["/v1/status", "/v1/config", "/v1/stacks", "/v1/logs?tail=500", "/metrics"]) {
      const answer = await fetch(`http://127.0.0.1:${controlPort}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(answer.status, path).toBe(200);
      found.push(...leaks(`GET ${path}`, await answer.text()));
    }
    for (const file of walk(project.home).filter((path) => statSync(path).isFile()))
      found.push(...leaks(file.slice(project.root.length + 1), readFileSync(file, "latin1")));
    expect(found).toEqual([]);
    // The service did print them: masked where they were printed.
    const logs = await project.zero("logs", "app", "--no-follow");
    expect(logs.stdout).toContain("sentry dsn is ****");
    expect(logs.stdout).toContain("signing key is ****");
    expect(logs.stdout).toContain('{"dsn":"****"}'); // the service's own JSON, masked inside
  });

  it("promise: the bug-report bundle (make doctor report=1) holds none of them, nor the generated SESSION_KEY, and is 0600", async () => {
    const doctor = await project.zero("doctor", "--report");
    const written = /(\S*report-\S+\.txt)/.exec(doctor.all ?? "")?.[1];
    expect(written, doctor.all).toBeDefined();
    const file = written!.startsWith("/") ? written! : join(project.root, written!);
    const report = readFileSync(file, "utf8");
    expect(report).toContain("## logs"); // the service's output is in it: where the canaries were printed
    expect(mode(file).toString(8)).toBe("600");
    const canaries = [DSN_CANARY.slice(0, 11), SIGNING_KEY_CANARY.slice(0, 14), project.envValues().SESSION_KEY!];
    expect(canaries.filter((canary) => report.includes(canary))).toEqual([]);
  });
});
