import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { toolOutput } from "../errors/tool-failure.js";
import { ZeroError } from "../errors/zero-error.js";
import { httpsDir, type LocalCa, readLocalCa } from "./local-ca.js";
import { compareSnapshots, trustStoreSnapshot } from "./trust-stores.js";

export interface TrustChange {
  ca: LocalCa;
  /** mkcert's CAROOT for this CA: a folder holding only the root certificate (mkcert's "keyless" mode). */
  caroot: string;
  added: string[];
  removed: string[];
  /** What mkcert printed (its warnings name stores it could not reach, e.g. certutil missing). */
  report: string[];
}

/**
 * Installs (or removes) the stack's local CA in the system trust store and the browsers' NSS databases with
 * mkcert, which knows every platform's stores. mkcert gets the root certificate only, never the CA's key.
 */
export async function changeTrust(home: string, action: "install" | "uninstall"): Promise<TrustChange> {
  const ca = readLocalCa(home);
  const caroot = join(httpsDir(home), "trust");
  mkdirSync(caroot, { recursive: true, mode: 0o700 });
  chmodSync(caroot, 0o700);
  writeFileSync(join(caroot, "rootCA.pem"), ca.pem, { mode: 0o600 });
  const before = await trustStoreSnapshot();
  const result = await execa("mkcert", [`-${action}`], { env: { CAROOT: caroot }, reject: false, all: true });
  if (result.failed) throw mkcertFailure(action, result);
  return {
    ca,
    caroot,
    ...compareSnapshots(before, await trustStoreSnapshot()),
    report: (result.all ?? "").split("\n").filter((line) => line.trim() !== ""),
  };
}

function mkcertFailure(action: string, result: { code?: string; all?: string; exitCode?: number }): ZeroError {
  if (result.code === "ENOENT") {
    return new ZeroError(
      "ZERO_PREREQ_MISSING",
      "mkcert is not installed: it installs the local CA into your trust stores.",
      {
        why: "zero hands the CA's root certificate to mkcert, which knows the system store and the browsers' NSS databases on every platform.",
        next: "Install it (Debian/Ubuntu: `sudo apt-get install mkcert libnss3-tools`; macOS: `brew install mkcert nss`), then run the command again.",
      },
    );
  }
  return new ZeroError("ZERO_HTTPS_TRUST_FAILED", `\`mkcert -${action}\` failed (exit ${result.exitCode}).`, {
    why: "mkcert could not change a trust store; its own words are above (often: no permission for the system store).",
    next: "Run it again as a user who may change the system store (mkcert asks sudo for it), or see docs/troubleshooting.md#certificate-not-trusted.",
    details: toolOutput(result),
  });
}
