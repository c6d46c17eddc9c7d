import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain ES module of the dev runner's, without types
import { warmUp } from "../scripts/warm-up.mjs";

describe("a spare server host's warm-up (scripts/warm-up.mjs)", () => {
  // The host swallows its errors (a failed warm-up is only a slower restart), so a package update that breaks it
  // would go unnoticed without this: it runs on the packages as installed and answers its one request.
  it("builds, serves in memory and closes a Fastify app with the API's plugins", async () => {
    const loaded: string[] = [];
    await warmUp((name: string) => {
      loaded.push(name);
      return import(name);
    });
    expect(loaded.sort()).toEqual(["@fastify/cors", "fastify", "fastify-type-provider-zod", "zod"]);
  });
});
