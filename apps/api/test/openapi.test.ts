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
});
