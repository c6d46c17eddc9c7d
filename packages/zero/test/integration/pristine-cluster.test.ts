import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ResultPromise } from "execa";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import type { ZeroError } from "../../src/errors/zero-error.js";
import type { Service } from "../../src/stack/schema.js";
import { freePort, repoRoot, waitFor } from "../helpers/cli.js";
import { runPrepared } from "../helpers/prepared-postgres.js";

const root = process.getuid?.() === 0;
const scratch = mkdtempSync(join(tmpdir(), "zero-pristine-"));
chmodSync(scratch, 0o755);
const cache = join(scratch, "cache");
// This file's own cache: the first new cluster must find none, whatever other tests left in the user's.
process.env.XDG_CACHE_HOME = cache;
const pristineRoot = join(cache, "zero-to-running", "postgres-clusters");
// The system folder (normally /var/lib/zero-to-running) goes to a scratch folder for this test file.
process.env.ZERO_SYSTEM_DATA = join(scratch, "system");
const { preparePostgres } = await import("../../src/runtimes/native/drivers/postgres.js");
const { removeLinkedData } = await import("../../src/runtimes/native/service-user-place.js");

const bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
const servers: ResultPromise[] = [];
afterAll(async () => {
  for (const server of servers) server.kill("SIGINT");
  await Promise.allSettled(servers);
  // Retried while a detached spare copy still writes into the cache (ENOTEMPTY; refillSpare in pristine-cluster.ts).
  rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
});

function service(password: string, port = 5): Service {
  return {
    name: "postgres",
    kind: "postgres",
    ports: { main: port },
    env: { POSTGRES_USER: "app", POSTGRES_DB: "app", POSTGRES_PASSWORD: password },
  } as unknown as Service;
}

function newHome(mode = 0o755): string {
  const home = mkdtempSync(join(scratch, "home-"));
  chmodSync(home, mode);
  return home;
}

async function prepare(home: string, password: string, port?: number) {
  const notes: string[] = [];
  const launch = await preparePostgres(service(password, port), {
    root: repoRoot,
    home,
    note: (message) => notes.push(message),
    signal: new AbortController().signal,
  });
  return { launch, notes };
}

/** Starts the prepared PostgreSQL for real and waits until it takes connections. */
async function start(launch: Awaited<ReturnType<typeof prepare>>["launch"], port: number) {
  const server = runPrepared(launch);
  servers.push(server);
  await waitFor(
    () =>
      canLogIn(port, "-").then(
        () => true,
        (error: Error) => !/starting up|ECONNREFUSED/.test(error.message),
      ),
    20_000,
    `PostgreSQL on ${port}`,
  );
}

/** Logs in as app to the app database; rejects with PostgreSQL's own error. */
async function canLogIn(port: number, password: string): Promise<string> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: "app", password, database: "app" });
  await client.connect();
  try {
    return (await client.query("select current_user as who")).rows[0].who as string;
  } finally {
    await client.end();
  }
}

const failedAuth = /password authentication failed for user "app"/;

describe("a new PostgreSQL cluster is a copy of a pristine one cached per user", () => {
  it("the first runs initdb and keeps a pristine copy holding neither stack's password; the next is copied, with its own", async () => {
    const [portA, portB, portPristine] = [await freePort(), await freePort(), await freePort()];
    const first = await prepare(newHome(), "first-stack-test-pw", portA);
    expect(first.notes.join("\n")).toContain("initialising a new database cluster");
    const [place] = readdirSync(pristineRoot);
    const pristine = join(pristineRoot, place!, "cluster");
    expect(existsSync(join(pristine, "PG_VERSION"))).toBe(true);
    expect(existsSync(join(pristine, "zero-password.hash"))).toBe(false);
    expect(statSync(pristineRoot).mode & 0o777).toBe(0o700);

    const second = await prepare(newHome(), "second-stack-test-pw", portB);
    expect(second.notes.join("\n")).toContain(`a copy of the pristine one in ${join(pristineRoot, place!)}`);

    await Promise.all([start(first.launch, portA), start(second.launch, portB)]);
    expect(await canLogIn(portA, "first-stack-test-pw")).toBe("app");
    expect(await canLogIn(portB, "second-stack-test-pw")).toBe("app");
    await expect(canLogIn(portA, "second-stack-test-pw")).rejects.toThrow(failedAuth);
    await expect(canLogIn(portB, "first-stack-test-pw")).rejects.toThrow(failedAuth);

    // The pristine cluster itself (started from a copy, so it stays pristine) lets neither stack's password in.
    const copy = join(newHome(), "pristine-copy");
    execFileSync("cp", ["-R", "-p", pristine, copy]);
    const args = [...first.launch.args];
    args[args.indexOf(first.launch.cwd!)] = copy;
    args[args.indexOf(String(portA))] = String(portPristine);
    await start({ ...first.launch, args, cwd: copy }, portPristine);
    await expect(canLogIn(portPristine, "first-stack-test-pw")).rejects.toThrow(failedAuth);
    await expect(canLogIn(portPristine, "second-stack-test-pw")).rejects.toThrow(failedAuth);
  });

  it("the next new cluster is the spare copy, moved in with one rename; a new spare is made for the one after", async () => {
    const place = join(pristineRoot, readdirSync(pristineRoot)[0]!);
    const spare = join(place, `spare-${bootId}`);
    const spareInode = await waitFor(
      () => existsSync(join(spare, "PG_VERSION")) && statSync(spare).ino,
      15_000,
      "a spare",
    );
    const home = newHome();
    await prepare(home, "spare-test-pw");
    expect(statSync(join(home, "data", "postgres")).ino).toBe(spareInode);
    const next = await waitFor(
      () => existsSync(join(spare, "PG_VERSION")) && statSync(spare).ino,
      15_000,
      "the next spare",
    );
    expect(next).not.toBe(spareInode);
  });

  it("a spare made before the machine restarted is never used (a crash may have cut it short) and is deleted", async () => {
    const place = join(pristineRoot, readdirSync(pristineRoot)[0]!);
    await waitFor(() => existsSync(join(place, `spare-${bootId}`, "PG_VERSION")), 15_000, "a spare");
    rmSync(join(place, `spare-${bootId}`), { recursive: true });
    const earlier = join(place, "spare-00000000-0000-4000-8000-000000000000");
    mkdirSync(earlier);
    writeFileSync(join(earlier, "PG_VERSION"), "17\n");
    writeFileSync(join(earlier, "half-written"), "");
    // A copy cut short by a `make down` (its process gone) goes too.
    const cutShort = join(place, `spare-${bootId}.partial-${spawnSync("true").pid}-00000000`);
    mkdirSync(cutShort);
    const home = newHome();
    await prepare(home, "earlier-boot-test-pw");
    expect(existsSync(join(home, "data", "postgres", "half-written"))).toBe(false);
    expect(existsSync(join(home, "data", "postgres", "global", "pg_control"))).toBe(true);
    await waitFor(
      () => !existsSync(earlier) && !existsSync(cutShort) && existsSync(join(place, `spare-${bootId}`, "PG_VERSION")),
      15_000,
      "the earlier boot's spare gone, a new one made",
    );
  });

  it("a spare that is not a whole cluster (a copy nested in a leftover folder) is deleted, never used", async () => {
    const place = join(pristineRoot, readdirSync(pristineRoot)[0]!);
    const spare = join(place, `spare-${bootId}`);
    await waitFor(() => existsSync(join(spare, "PG_VERSION")), 15_000, "a spare");
    rmSync(spare, { recursive: true });
    mkdirSync(spare);
    execFileSync("cp", ["-R", "-p", join(place, "cluster"), join(spare, "cluster")]);
    const home = newHome();
    const { notes } = await prepare(home, "nested-spare-test-pw");
    expect(notes.join("\n")).toContain("a copy of the pristine one");
    expect(existsSync(join(home, "data", "postgres", "PG_VERSION"))).toBe(true);
    expect(existsSync(join(home, "data", "postgres", "cluster"))).toBe(false);
    await waitFor(() => existsSync(join(spare, "PG_VERSION")), 15_000, "a whole spare again");
  });

  it.skipIf(!root)(
    "root in a private folder: the cluster in the system folder is a copy too, owned by postgres, with the stack's password",
    async () => {
      const port = await freePort();
      const homes = [join(newHome(0o700), ".zero"), join(newHome(0o700), ".zero")];
      await prepare(homes[0]!, "private-first-test-pw");
      const { launch, notes } = await prepare(homes[1]!, "private-second-test-pw", port);
      expect(notes.join("\n")).toContain("a copy of the pristine one");
      expect(launch.cwd!.startsWith(join(scratch, "system", "projects"))).toBe(true);
      expect(statSync(join(launch.cwd!, "base")).uid).toBe(launch.uid);
      await start(launch, port);
      expect(await canLogIn(port, "private-second-test-pw")).toBe("app");
      await expect(canLogIn(port, "private-first-test-pw")).rejects.toThrow(failedAuth);
      servers.pop()?.kill("SIGINT");
      for (const home of homes) removeLinkedData(repoRoot, home);
    },
  );

  it("several stacks making new clusters at once from one cache: each gets a whole cluster with its own password", async () => {
    // Two tests (or two worktrees) starting together take the spare, copy the pristine cluster and refill the spare
    // at the same moments; none may get a half copy. Three rounds, so spares taken while refills run are covered.
    for (let round = 0; round < 3; round++) {
      const homes = [newHome(), newHome(), newHome(), newHome()];
      const made = await Promise.all(homes.map((home, i) => prepare(home, `concurrent-${round}-${i}-test-pw`)));
      for (const [i, home] of homes.entries()) {
        const data = join(home, "data", "postgres");
        expect(existsSync(join(data, "PG_VERSION")), made[i]!.notes.join("\n")).toBe(true);
        expect(existsSync(join(data, "global", "pg_control"))).toBe(true);
      }
    }
  });

  it("a cache folder that cannot be written costs only the copy: the cluster is made and a note says why", async () => {
    const blocked = join(scratch, "not-a-folder");
    writeFileSync(blocked, "");
    process.env.XDG_CACHE_HOME = blocked;
    try {
      const home = newHome();
      const { notes } = await prepare(home, "blocked-cache-test-pw");
      expect(notes.join("\n")).toMatch(/could not keep a pristine copy of the new cluster in .*ENOTDIR/);
      expect(existsSync(join(home, "data", "postgres", "PG_VERSION"))).toBe(true);
    } finally {
      process.env.XDG_CACHE_HOME = cache;
    }
  });

  it.skipIf(!root)(
    "a full disk while copying the pristine cluster: the disk is named full, nothing half-made is left, no password shown",
    async () => {
      expect(readdirSync(pristineRoot)).toHaveLength(1); // made by the first test: this start copies it
      const home = newHome();
      const data = join(home, "data");
      mkdirSync(data);
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m,mode=755", "tmpfs", data]);
      try {
        const error = await prepare(home, "full-disk-test-pw").then(
          () => {
            throw new Error("expected the copy to fail");
          },
          (failure: ZeroError) => failure,
        );
        expect(error.code).toBe("ZERO_SERVICE_FAILED");
        expect(error.why).toContain("disk is full");
        expect(error.details.join("\n")).toMatch(/cp: .*No space left on device/);
        expect(error.details.join("\n")).not.toContain("full-disk-test-pw");
        expect(readdirSync(data)).toEqual([]);
      } finally {
        execFileSync("umount", ["-l", data]);
      }
    },
  );
});
