import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createMasker, isSecretName, secretValues } from "../../src/config/mask.js";

describe("secret masking", () => {
  it("replaces secrets and their URL-encoded form", () => {
    const mask = createMasker(["s3cr/t+pw"]);
    expect(mask("postgres://app:s3cr%2Ft%2Bpw@host and s3cr/t+pw")).toBe("postgres://app:****@host and ****"); // secretlint-disable-line -- fake test value
  });

  it("knows which variables are secrets", () => {
    expect(isSecretName("POSTGRES_PASSWORD")).toBe(true);
    expect(isSecretName("API_PORT")).toBe(false);
    expect(secretValues({ REDIS_PASSWORD: "abcd", WEB_PORT: "3000" })).toEqual(["abcd"]);
  });

  it("leaves text alone when there are no secrets, and ignores trivially short ones", () => {
    expect(createMasker([])("hello")).toBe("hello");
    expect(createMasker(["ab"])("abc")).toBe("abc");
  });
});

describe("secrets in files named by *_FILE variables", () => {
  it("reads the files of secret variables only, never a LOG_FILE, PID_FILE or VERSION_FILE", () => {
    const root = mkdtempSync(join(tmpdir(), "zero-mask-"));
    const write = (name: string, text: string) => writeFileSync(join(root, name), text);
    write("pg", "pg-pass-from-file\n");
    write("session", "session-key-from-file");
    write("pid", "12345\n");
    write("version", "1.2.3\n");
    write("log", "server started\n");
    const values = secretValues(
      {
        POSTGRES_PASSWORD_FILE: "pg",
        SESSION_KEY_FILE: "session",
        PID_FILE: "pid",
        VERSION_FILE: "version",
        LOG_FILE: "log",
      },
      ["SESSION_KEY"],
      root,
    );
    expect(values).toContain("pg-pass-from-file");
    expect(values).toContain("session-key-from-file");
    for (const notSecret of ["12345", "12345\n", "1.2.3", "1.2.3\n", "server started"])
      expect(values).not.toContain(notSecret);
  });
});
