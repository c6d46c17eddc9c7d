import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, runZero } from "../helpers/cli.js";

const fixture = new URL("../fixtures/security/", import.meta.url).pathname;

/** Planted secrets: one declared in stack.yaml (`secrets:`) with characters JSON escapes, one read from a *_FILE. */
export const DSN_CANARY = 'dsn-canary-"q\\b-9f2';
export const SIGNING_KEY_CANARY = "signing-canary-5c1e7a";

/**
 * A throwaway copy of the security fixture (test/fixtures/security) in a folder other local users may enter (0755,
 * like a checkout in a home folder), with its .env.example mode 0644 as git leaves it, and free ports.
 */
export async function securityProject() {
  const root = mkdtempSync(join(tmpdir(), "zero-security-"));
  chmodSync(root, 0o755);
  for (const file of ["stack.yaml", "app.mjs", "package.json"]) copyFileSync(join(fixture, file), join(root, file));
  copyFileSync(join(fixture, "env.example"), join(root, ".env.example"));
  chmodSync(join(root, ".env.example"), 0o644);
  writeFileSync(join(root, "signing.key"), `${SIGNING_KEY_CANARY}\n`, { mode: 0o600 });
  const env = { REDIS_PORT: String(await freePort()), APP_PORT: String(await freePort()) };
  const zero = (...args: string[]) => runZero(args, { cwd: root, env });
  return {
    root,
    home: join(root, ".zero"),
    zero,
    /** The values make dev generated into .env, by name. */
    envValues: (): Record<string, string> =>
      Object.fromEntries(
        readFileSync(join(root, ".env"), "utf8")
          .split("\n")
          .filter((line) => /^[A-Z_]+=/.test(line))
          .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
      ),
    cleanUp: async () => {
      await zero("down");
      rmSync(root, { recursive: true, force: true });
    },
  };
}
