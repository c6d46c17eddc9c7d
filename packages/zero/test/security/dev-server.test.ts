import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa, type ResultPromise } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, repoRoot, waitFor } from "../helpers/cli.js";

// Threat: anything that can open a TCP connection to the web dev server (another local user, a container on the
// stack's network, a page that rebinds DNS) asks it for a file outside the app. A real Vite, started as the stack
// starts it (the app's vite.config.ts, `vite --host --port --strictPort` in apps/web), asked with curl for canary
// files planted where zero keeps its secrets, by every path form Vite knows.

const canary = `canary-${randomBytes(12).toString("hex")}`;
const tag = randomBytes(4).toString("hex");
const web = join(repoRoot, "apps/web");
const secretDir = join(repoRoot, ".zero", `security-${tag}`); // where the supervisor's state and passwords live
const planted = [
  join(repoRoot, ".zero", `security-${tag}`, "state.json"),
  join(repoRoot, ".zero", `security-${tag}`, "secrets", "postgres_password"),
  join(repoRoot, ".zero", `security-${tag}`, "https", "root.key"),
];
const links = [join(web, "public", `zero-link-${tag}`), join(web, "src", `zero-link-${tag}`)];
let vite: ResultPromise;
let port: number;

beforeAll(async () => {
  for (const file of planted) {
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, JSON.stringify({ token: canary }));
  }
  // A symlink inside the app pointing at .zero (a cloned repo can carry one).
  for (const link of links) symlinkSync(secretDir, link);
  port = await freePort();
  vite = execa(
    process.execPath,
    [join(repoRoot, "node_modules/vite/bin/vite.js"), "--host", "127.0.0.1", "--port", String(port), "--strictPort"],
    { cwd: web, env: { ZERO_CONTROL_URL: "", NO_COLOR: "1" }, reject: false, all: true },
  );
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/`)).ok, 60_000, "the dev server");
});

afterAll(async () => {
  vite?.kill();
  await vite;
  for (const link of links) rmSync(link, { force: true });
  rmSync(secretDir, { recursive: true, force: true });
});

/** The body and status curl gets for a path sent exactly as written (no client-side `..` folding). */
async function get(path: string): Promise<{ status: number; body: string }> {
  const result = await execa(
    "curl",
    ["-s", "--path-as-is", "-w", "\n%{http_code}", `http://127.0.0.1:${port}${path}`],
    {
      reject: false,
    },
  );
  const at = result.stdout.lastIndexOf("\n");
  return { status: Number(result.stdout.slice(at + 1)), body: result.stdout.slice(0, at) };
}

const encode = (path: string) => path.replace(/\./g, "%2e");
const forms = (absolute: string, relativeToApp: string) => [
  `/@fs${absolute}`,
  `/@fs${absolute}?raw`,
  `/@fs${absolute}?import`,
  `/@fs${absolute}?import&raw`,
  `/@fs${absolute}?url`,
  `/@fs${absolute}?raw??`,
  `/@fs${absolute}?.svg?raw`,
  `/@fs${encode(absolute)}`,
  `/@fs${absolute.replace(/\//g, "%2f")}`,
  `/@fs${web}/../..${absolute.slice(repoRoot.length - 1)}?raw`,
  `/@fs${web}/%2e%2e/%2e%2e${absolute.slice(repoRoot.length - 1)}`,
  `/@id${absolute}`,
  `/@id/${absolute}?raw`,
  `/${relativeToApp}`,
  `/${relativeToApp}?raw`,
  `/${encode(relativeToApp)}?import`,
  `/src/${relativeToApp}?raw`,
];

describe("threat: files asked of the web dev server", () => {
  it("promise: no path form reaches .zero (state token, passwords, the CA key)", async () => {
    const leaks: string[] = [];
    for (const file of planted) {
      const relative = `../..${file.slice(repoRoot.length - 1)}`;
      for (const path of forms(file, relative)) {
        const answer = await get(path);
        if (answer.body.includes(canary)) leaks.push(`${answer.status} ${path}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it("promise: a symlink inside the app pointing at .zero serves nothing", async () => {
    const leaks: string[] = [];
    for (const dir of ["", "src/"])
      for (const file of ["state.json", "secrets/postgres_password", "https/root.key"])
        for (const query of ["", "?raw", "?import", "?url", "?import&raw"]) {
          const path = `/${dir}zero-link-${tag}/${file}${query}`;
          const answer = await get(path);
          if (answer.body.includes(canary)) leaks.push(`${answer.status} ${path}`);
          const viaFs = await get(`/@fs${web}/${dir || "public/"}zero-link-${tag}/${file}${query}`);
          if (viaFs.body.includes(canary)) leaks.push(`${viaFs.status} /@fs…/${dir}zero-link-${tag}/${file}${query}`);
        }
    expect(leaks).toEqual([]);
  });

  it("promise: files of the checkout outside the app are refused (stack.yaml, package.json)", async () => {
    for (const file of ["stack.yaml", "package.json", "Makefile"]) {
      const answer = await get(`/@fs${repoRoot}${file}?raw`);
      expect(answer.status, file).toBe(403);
    }
  });

  it("promise: the app itself is still served (index, its modules, the contracts package, Vite's client)", async () => {
    expect((await get("/")).status).toBe(200);
    expect((await get("/src/main.tsx")).status).toBe(200);
    expect((await get("/@vite/client")).status).toBe(200);
    expect((await get(`/@fs${repoRoot}packages/contracts/src/log-line.ts`)).status).toBe(200);
  });
});
