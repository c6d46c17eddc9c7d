import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ZeroError } from "../errors/zero-error.js";

/**
 * Where local HTTPS keeps its files: `<ZERO_HOME>/https`, the folder stack.yaml's `https` service gives Caddy
 * (ZERO_HTTPS_DIR). Caddy's local CA lives in its storage there (ADR 17).
 */
export function httpsDir(home: string): string {
  return join(home, "https");
}

/** The root certificate of the stack's local CA (its key stays beside it, 0600, and never leaves). */
export function rootCertificatePath(home: string): string {
  return join(httpsDir(home), "caddy", "pki", "authorities", "local", "root.crt");
}

export interface LocalCa {
  path: string;
  pem: string;
  subject: string;
  /** SHA-256 fingerprint, as browsers show it. */
  fingerprint: string;
  serial: string;
}

/** The stack's local CA, which Caddy creates on its first start with https=1. */
export function readLocalCa(home: string): LocalCa {
  const path = rootCertificatePath(home);
  if (!existsSync(path)) {
    throw new ZeroError("ZERO_HTTPS_NO_CA", `The stack has no local CA yet (${path} does not exist).`);
  }
  const pem = readFileSync(path, "utf8");
  const certificate = new X509Certificate(pem);
  return {
    path,
    pem,
    subject: certificate.subject.replaceAll("\n", ", "),
    fingerprint: certificate.fingerprint256,
    serial: certificate.serialNumber,
  };
}
