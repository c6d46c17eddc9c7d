import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diagnose, firstBlockedFolder, toolOutput } from "../../src/errors/tool-failure.js";

// Each case is a line the tool really prints (captured from initdb 17, redis-server 7, Node and execa on Debian 12).
describe("a failed tool's output names the cause and the next step", () => {
  const scratch = mkdtempSync(join(tmpdir(), "zero-diagnose-"));
  chmodSync(scratch, 0o755); // mkdtemp makes it private: only the folder under test may block
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const nobody = { name: "nobody", uid: 65534, gid: 65534 };

  it("permission denied: names the folder the service user cannot enter, its mode, and the exact setfacl command", () => {
    const privateDir = join(scratch, "home");
    mkdirSync(join(privateDir, "app"), { recursive: true });
    chmodSync(privateDir, 0o700);
    const lines = [`initdb: error: could not access directory "${privateDir}/app/pg": Permission denied`];
    const found = diagnose(lines, nobody)!;
    expect(found.why).toContain(`user nobody cannot enter ${privateDir} (mode 700`);
    expect(found.next).toContain(`setfacl -m u:nobody:x ${privateDir}`);
  });

  it("permission denied on a program that could not even start (execa's spawn EACCES)", () => {
    const found = diagnose(
      toolOutput({
        shortMessage: "Command failed with EACCES: /srv/x/bin/initdb -D /srv/x/pg\nspawn /srv/x/bin/initdb EACCES",
      }),
      nobody,
    )!;
    expect(found.why).toContain("/srv/x/bin/initdb");
  });

  it("read-only file system, from initdb and from Node", () => {
    expect(diagnose([`initdb: error: could not create directory "/mnt/ro/pg": Read-only file system`])!.why).toBe(
      "/mnt/ro/pg is on a read-only file system.",
    );
    expect(diagnose(["EROFS: read-only file system, mkdir '/mnt/ro/pg.init'"])!.why).toContain("/mnt/ro/pg.init");
  });

  it("disk full", () => {
    const found = diagnose([
      'initdb: error: could not write to file "/mnt/full/pg/base/1/1255": No space left on device',
    ])!;
    expect(found.why).toContain("disk is full");
    expect(found.next).toContain("df -h");
  });

  it("a port already in use, from redis-server and from Node", () => {
    expect(
      diagnose([
        "# Warning: Could not create server TCP listening socket 127.0.0.1:46379: bind: Address already in use",
      ])!.why,
    ).toContain("Port 46379");
    expect(diagnose(["Error: listen EADDRINUSE: address already in use 127.0.0.1:3001"])!.next).toContain(
      "lsof -i :3001",
    );
  });

  it("a missing program", () => {
    expect(diagnose(["spawn redis-server ENOENT"])!.why).toContain("redis-server is not installed");
  });

  it("recognises nothing in ordinary output, so the caller's own words stay", () => {
    expect(diagnose(["LOG:  database system is ready to accept connections"])).toBeUndefined();
  });

  it("shows what the tool printed, or the error's message when it printed nothing", () => {
    expect(toolOutput({ all: "line 1\nline 2\n" })).toEqual(["line 1", "line 2"]);
    expect(toolOutput({ all: "", shortMessage: "spawn /x EACCES" })).toEqual(["spawn /x EACCES"]);
    expect(toolOutput({ all: Array.from({ length: 50 }, (_, i) => `l${i}`).join("\n") })).toHaveLength(20);
  });

  it("finds no blocked folder when every folder on the way is searchable", () => {
    expect(firstBlockedFolder("/usr/lib/x", nobody)).toBeUndefined();
  });
});
