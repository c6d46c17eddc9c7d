import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";

const PASSWORD = "hunter2";
const DATABASE_URL = `postgres://app:${PASSWORD}@127.0.0.1:5432/app`;

describe("loadConfig", () => {
  it("applies the documented defaults", () => {
    expect(loadConfig({ DATABASE_URL })).toEqual({
      host: "127.0.0.1",
      port: 3001,
      databaseUrl: DATABASE_URL,
      redisUrl: undefined,
      logLevel: "info",
      corsOrigins: ["http://127.0.0.1:3000", "http://localhost:3000"],
      allowedHosts: [],
      autoSeed: false,
    });
  });

  it("resolves the database folders against the working directory and reads AUTO_SEED and DEFAULT_TENANT", () => {
    const config = loadConfig({ DATABASE_URL, MIGRATIONS_DIR: "../db/migrations", SEEDS_DIR: "/abs/seeds", AUTO_SEED: "true", DEFAULT_TENANT: "kiln" });
    expect(config).toMatchObject({ migrationsDir: resolve("../db/migrations"), seedsDir: "/abs/seeds", autoSeed: true, defaultTenant: "kiln" });
    expect(() => loadConfig({ DATABASE_URL, AUTO_SEED: "yes" })).toThrow(/AUTO_SEED must be true or false/);
  });

  it("reads every variable of the contract", () => {
    const config = loadConfig({
      HOST: "0.0.0.0",
      PORT: "4000",
      DATABASE_URL,
      REDIS_URL: "redis://:pw@127.0.0.1:6379",
      LOG_LEVEL: "WARN",
      CORS_ORIGIN: "http://127.0.0.1:43000/, http://localhost:43000",
      ALLOWED_HOSTS: "app.test, .dev.test",
    });
    expect(config).toMatchObject({
      host: "0.0.0.0",
      port: 4000,
      redisUrl: "redis://:pw@127.0.0.1:6379",
      logLevel: "warn",
      corsOrigins: ["http://127.0.0.1:43000", "http://localhost:43000"],
      allowedHosts: ["app.test", ".dev.test"],
    });
  });

  it("puts passwords from *_PASSWORD_FILE into the URLs (containers get secrets as files)", () => {
    const dir = mkdtempSync(join(tmpdir(), "api-config-"));
    writeFileSync(join(dir, "pg"), "p@ss/word\n");
    writeFileSync(join(dir, "redis"), "r3dis");
    const config = loadConfig({
      DATABASE_URL: "postgres://app@postgres:5432/app",
      DATABASE_PASSWORD_FILE: join(dir, "pg"),
      REDIS_URL: "redis://redis:6379",
      REDIS_PASSWORD_FILE: join(dir, "redis"),
    });
    expect(new URL(config.databaseUrl).password).toBe(encodeURIComponent("p@ss/word"));
    expect(config.redisUrl).toBe("redis://:r3dis@redis:6379");
    expect(() => loadConfig({ DATABASE_URL, DATABASE_PASSWORD_FILE: join(dir, "missing") })).toThrow(/DATABASE_PASSWORD_FILE names .*missing, which cannot be read/);
  });

  it("treats an empty REDIS_URL as unset (minimal profile)", () => {
    expect(loadConfig({ DATABASE_URL, REDIS_URL: "" }).redisUrl).toBeUndefined();
  });

  it("names a missing DATABASE_URL", () => {
    expect(() => loadConfig({})).toThrow(/DATABASE_URL is required/);
  });

  it("names every bad variable and never echoes a secret", () => {
    let message = "";
    try {
      loadConfig({ DATABASE_URL: `mysql://app:${PASSWORD}@db/app`, PORT: "http", LOG_LEVEL: "LOUD", REDIS_URL: `x:${PASSWORD}` });
    } catch (error) {
      expect(error).toMatchObject({ code: "API_CONFIG_INVALID", name: "ConfigError" });
      message = (error as Error).message;
    }
    for (const name of ["DATABASE_URL", "PORT", "LOG_LEVEL", "REDIS_URL"]) expect(message).toContain(name);
    expect(message).not.toContain(PASSWORD);
  });

  it("rejects a CORS_ORIGIN entry that is not an origin", () => {
    expect(() => loadConfig({ DATABASE_URL, CORS_ORIGIN: "localhost:3000" })).toThrow(/CORS_ORIGIN/);
  });
});
