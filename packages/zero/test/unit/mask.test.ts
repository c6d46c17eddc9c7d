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
