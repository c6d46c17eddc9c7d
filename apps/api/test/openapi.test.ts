import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { buildTestApp } from "./support/build-test-app.js";

describe("API documentation", () => {
  it("serves a valid OpenAPI document listing the health routes", async () => {
    const { app } = await buildTestApp();
    const response = await app.inject("/openapi.json");
    expect(response.statusCode).toBe(200);
    const document = response.json();
    await SwaggerParser.validate(structuredClone(document));
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/health", "/health/ready"]));
    expect(Object.keys(document.paths["/health/ready"].get.responses)).toEqual(expect.arrayContaining(["200", "503"]));
    expect(document.paths["/openapi.json"]).toBeUndefined();
  });

  it("serves the interactive docs at /docs", async () => {
    const { app } = await buildTestApp();
    const response = await app.inject("/docs/");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("text/html");
  });

  // The UI loads on the first request to /docs (a faster start): it must still show this app's document and serve
  // its own files, as it did when registered at start-up.
  it("serves the UI's files and this app's document under /docs", async () => {
    const { app } = await buildTestApp();
    const initializer = await app.inject("/docs/static/swagger-initializer.js");
    const styles = await app.inject("/docs/static/swagger-ui.css");
    const json = await app.inject("/docs/json");
    const missing = await app.inject("/docs/static/nothing.js");
    expect(initializer.statusCode).toBe(200);
    expect(initializer.headers["content-type"]).toContain("javascript");
    expect(styles.statusCode).toBe(200);
    expect(styles.headers["content-type"]).toContain("text/css");
    expect(styles.body.length).toBeGreaterThan(1000);
    expect(json.json()).toEqual((await app.inject("/openapi.json")).json());
    expect(missing.statusCode).toBe(404);
  });
});
