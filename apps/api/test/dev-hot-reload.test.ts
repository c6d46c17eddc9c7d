import { once } from "node:events";
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { groupProcesses, listeningAddress, startApiProcess, untilOutput } from "./support/api-process.js";
import { serverEnv } from "./support/server-env.js";
import { findClosedPort } from "./support/ports.js";
import { pollUntil } from "./support/poll.js";

/**
 * A copy of the API (its sources and scripts) beside apps/api, so that the edits below never reach the checkout's own
 * sources: a developer's running stack, or another test's, would reload on them. At the same depth, it finds the
 * workspace's packages and lockfile as apps/api does. Removed after the test.
 */
function apiCopy(): { dir: string; source: string } {
  const api = fileURLToPath(new URL("..", import.meta.url));
  const dir = mkdtempSync(join(api, "..", ".api-copy-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  for (const entry of ["src", "scripts", "package.json", "tsconfig.json"])
    cpSync(join(api, entry), join(dir, entry), { recursive: true });
  // A real source file the runner bundles; an exported constant changes the bundle (a comment would not).
  return { dir, source: join(dir, "src", "server.ts") };
}

describe("the dev launcher's hot reload (scripts/dev.mjs)", () => {
  it("restarts on an edit in a spare process that holds the debugger's address; a save without changes restarts nothing; the spare's death as a server is the service's death", {
    timeout: 90_000,
  }, async () => {
    const { dir: apiDir, source } = apiCopy();
    const inspectPort = await findClosedPort();
    const { launcher, group, output } = startApiProcess(apiDir, [
      "scripts/dev.mjs",
      `--inspect=127.0.0.1:${inspectPort}`,
    ]);
    const servers = () => [...output().matchAll(/"pid":(\d+),"msg":"Server listening at (http:\/\/[\d.:]+)"/g)];
    const nthServer = async (n: number) => {
      await pollUntil(
        async () => servers().length,
        (count) => count >= n,
        { deadlineMs: 30_000, intervalMs: 20 },
      );
      const [, pid, address] = servers()[n - 1]!;
      return { pid: Number(pid), address: address! };
    };
    // Spares: the runner's server hosts other than the one that serves.
    const spares = () => {
      const serving = servers().at(-1)?.[1];
      return groupProcesses(group).filter((p) => p.args.includes("server-host.mjs") && String(p.pid) !== serving);
    };

    const first = await nthServer(1);
    expect(spares()).toEqual([]); // none before the first restart: a stack nobody edits pays nothing for it
    // Nor esbuild's service, once the start's build has run (the runner then watches its folders).
    await firstBuildDone(group);
    await pollUntil(
      async () => esbuildServices(group),
      (found) => found.length === 0,
      { deadlineMs: 30_000 },
    );

    appendFileSync(source, "\nexport const hotReloadMark = 1;\n");
    const second = await nthServer(2);
    expect(esbuildServices(group)).toHaveLength(1); // started by the edit, kept for the next ones
    expect(second.pid).not.toBe(first.pid);
    expect((await fetch(`${second.address}/health`)).status).toBe(200);
    // Handed the --inspect address when it became the server: the debugger finds it where it found the first.
    const targets = (await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json()) as unknown[];
    expect(targets).toHaveLength(1);
    await pollUntil(
      async () => spares(),
      (found) => found.length === 1,
      { deadlineMs: 30_000 },
    );
    const [spare] = spares();

    // A save that changes nothing (the same bytes, so the same bundle): no restart.
    writeFileSync(source, readFileSync(source, "utf8")); // saved again, the same bytes
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(servers()).toHaveLength(2);

    appendFileSync(source, "export const hotReloadMarkAgain = 2;\n");
    const third = await nthServer(3);
    expect(third.pid).toBe(spare!.pid); // the spare became the server
    expect((await fetch(`${third.address}/health`)).status).toBe(200);
    expect(output().match(/source changed: restarting the server/g)).toHaveLength(2);

    process.kill(third.pid, "SIGKILL");
    const [code] = await once(launcher, "exit");
    expect(code).not.toBe(0);
    expect(output()).toContain("[dev] server exited (SIGKILL); exiting so that the supervisor restarts it");
    // Nothing of the runner's is left behind, the next spare included.
    await pollUntil(
      async () => groupProcesses(group),
      (left) => left.length === 0,
    );
  });
});

describe("the dev launcher on a file system without change events (scripts/source-watch.mjs)", () => {
  it("finds an edit by polling, with esbuild's service stopped until then", { timeout: 90_000 }, async () => {
    const { dir: apiDir, source } = apiCopy();
    const noEvents = new URL("./support/no-file-events.mjs", import.meta.url).href;
    const { launcher, group, output } = startApiProcess(apiDir, ["--import", noEvents, "scripts/dev.mjs"]);
    const listening = (count: number) =>
      pollUntil(
        async () => output().match(/Server listening at/g)?.length ?? 0,
        (n) => n >= count,
        { deadlineMs: 30_000, intervalMs: 20 },
      );
    // A copy has no kept bundle: the build ran, and the runner took note of its files, before the server started.
    await listening(1);
    await pollUntil(
      async () => esbuildServices(group),
      (found) => found.length === 0,
      { deadlineMs: 30_000 },
    );

    appendFileSync(source, "\nexport const pollMark = 1;\n");
    await listening(2);
    expect(output()).toContain("source changed: restarting the server");
    expect(readFileSync(`${apiDir}/.dev/${launcher.pid}/server.mjs`, "utf8")).toContain("pollMark");
  });
});

describe("the dev launcher's start on its last build (scripts/build-cache.mjs)", () => {
  /** Starts the runner, waits for its server and for esbuild's first build, stops it; what it served and printed. */
  async function serve(apiDir: string, { kept }: { kept: boolean }) {
    const run = startApiProcess(apiDir, ["scripts/dev.mjs"]);
    const { launcher } = run;
    await listeningAddress(run);
    // On the kept bundle, esbuild's first build comes seconds after the server listens: its service starts, builds,
    // stops. Without one, the build ran before the server started.
    if (kept)
      await pollUntil(
        async () => esbuildServices(run.group).length,
        (n) => n > 0,
        { deadlineMs: 30_000, intervalMs: 10 },
      );
    await pollUntil(
      async () => esbuildServices(run.group).length,
      (n) => n === 0,
      { deadlineMs: 30_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // a restart, should the build have asked for one
    const bundle = readFileSync(`${apiDir}/.dev/${launcher.pid}/server.mjs`, "utf8");
    launcher.kill("SIGTERM");
    expect((await once(launcher, "exit"))[0]).toBe(0);
    return { bundle, output: run.output() };
  }

  it("runs the kept bundle when no source changed, confirms it later without a restart, and builds first when one did", {
    timeout: 90_000,
  }, async () => {
    const { dir: apiDir, source } = apiCopy();
    const first = await serve(apiDir, { kept: false });
    const kept = readFileSync(`${apiDir}/.dev/build-cache/server.mjs.cache`, "utf8");
    expect(kept.slice(kept.indexOf("\n") + 1)).toBe(first.bundle);

    const again = await serve(apiDir, { kept: true }); // nothing changed: the same bundle, no restart
    expect(again.bundle).toBe(first.bundle);
    expect(again.output).not.toContain("source changed");

    appendFileSync(source, "\nexport const keptBundleMark = 1;\n");
    const edited = await serve(apiDir, { kept: false }); // changed while no runner ran: built before the server starts
    expect(edited.bundle).toContain("keptBundleMark");
    expect(edited.output).not.toContain("source changed");
  });

  it("restarts on an edit saved right after a start on the kept bundle, before esbuild's first build", {
    timeout: 90_000,
  }, async () => {
    const { dir: apiDir, source } = apiCopy();
    await serve(apiDir, { kept: false });
    // The confirming build far off: only the watch of the kept bundle's files can see this edit.
    const run = startApiProcess(apiDir, ["scripts/dev.mjs"], {
      env: { ...serverEnv(), DEV_CONFIRM_KEPT_AFTER_MS: "600000" },
    });
    await listeningAddress(run);
    appendFileSync(source, "\nexport const earlyEditMark = 1;\n");
    await untilOutput(run, /source changed: restarting the server/);
    await pollUntil(
      async () => run.output().match(/Server listening at/g)?.length ?? 0,
      (n) => n >= 2,
      { deadlineMs: 30_000, intervalMs: 20 },
    );
    expect(readFileSync(`${apiDir}/.dev/${run.launcher.pid}/server.mjs`, "utf8")).toContain("earlyEditMark");
  });
});

/**
 * Resolves once the dev runner (`pid`) has finished a build: it then watches the folders the build read, each an
 * inotify watch of the process (Linux's /proc/<pid>/fdinfo).
 */
async function firstBuildDone(pid: number): Promise<void> {
  const watches = () => {
    let count = 0;
    for (const fd of readdirSync(`/proc/${pid}/fdinfo`)) {
      try {
        count += (readFileSync(`/proc/${pid}/fdinfo/${fd}`, "utf8").match(/^inotify wd:/gm) ?? []).length;
      } catch {
        // closed meanwhile
      }
    }
    return count;
  };
  await pollUntil(
    async () => watches(),
    (count) => count > 0,
    { deadlineMs: 30_000, intervalMs: 20 },
  );
}

/** esbuild's service processes in a process group. */
function esbuildServices(group: number): { pid: number; args: string }[] {
  return groupProcesses(group).filter((p) => p.args.includes("esbuild") && p.args.includes("--service"));
}
