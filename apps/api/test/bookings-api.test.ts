import { applyMigrations, applySeeds } from "@zero/database";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildTestApp } from "./support/build-test-app.js";
import { createFreshDatabase, migrationsDir, seedsDir } from "./support/fresh-database.js";
import type { LogCapture } from "./support/log-capture.js";

// Seed ids (infrastructure/database/seeds): Mara is booked (confirmed) from day 0 09:00 to day 4 18:00, where day 0
// is the Monday of the current week in UTC; Aiko (artist 5) has only a hold in two weeks' time.
const MARA = "30000000-0000-4000-8000-000000000001";
const AIKO = "30000000-0000-4000-8000-000000000005";
const MARA_CONFIRMED = "50000000-0000-4000-8000-000000000001";
const AURORA = "40000000-0000-4000-8000-000000000001";
const HARBOUR_ARTIST = "30000000-0000-4000-8000-000000000007";

const now = new Date();
const day0 = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7));
const at = (day: number, hour: number) => new Date(day0 + day * 86_400_000 + hour * 3_600_000).toISOString();

describe("/api/v1 against real PostgreSQL and Redis", () => {
  let app: FastifyInstance;
  let logs: LogCapture;
  let databaseUrl: string;
  const cleanups: Array<() => Promise<void>> = [];

  // One migrated and seeded database for the file; each test gets a fresh app on it.
  beforeAll(async () => {
    databaseUrl = await createFreshDatabase((fn) => void cleanups.push(fn));
    await applyMigrations({ databaseUrl, dir: migrationsDir });
    await applySeeds(databaseUrl, seedsDir);
  });
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  beforeEach(async () => {
    ({ app, logs } = await buildTestApp({ DATABASE_URL: databaseUrl, MIGRATIONS_DIR: migrationsDir, DEFAULT_TENANT: "northlight", LOG_LEVEL: "DEBUG" }));
  });

  it("lists the default studio's seeded artists and projects, and another studio's by X-Tenant", async () => {
    const artists = (await app.inject("/api/v1/artists")).json();
    expect(artists).toHaveLength(6);
    expect(artists.map((a: { name: string }) => a.name)).toContain("Mara Okafor");
    expect((await app.inject({ url: "/api/v1/artists", headers: { "x-tenant": "harbour" } })).json()).toHaveLength(4);
    expect((await app.inject(`/api/v1/artists/${HARBOUR_ARTIST}`)).statusCode).toBe(404); // not this studio's
    expect((await app.inject({ url: "/api/v1/projects", headers: { "x-tenant": "nobody" } })).statusCode).toBe(404);
    const project = (await app.inject(`/api/v1/projects/${AURORA}`)).json();
    expect(project).toMatchObject({ name: "Aurora - title sequence", status: "active" });
  });

  it("refuses an overlapping confirmed booking with 409 naming the booking in the way", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/bookings",
      payload: { artistId: MARA, projectId: AURORA, status: "confirmed", startsAt: at(1, 10), endsAt: at(1, 17) },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: "BOOKING_CONFLICT", conflict: { id: MARA_CONFIRMED, status: "confirmed" } });
  });

  it("allows an overlapping hold, but not turning it into a pencil", async () => {
    const hold = await app.inject({
      method: "POST",
      url: "/api/v1/bookings",
      payload: { artistId: MARA, projectId: AURORA, status: "hold", startsAt: at(1, 10), endsAt: at(1, 17), notes: "just in case" },
    });
    expect(hold.statusCode).toBe(201);
    const id = hold.json().id;
    const pencil = await app.inject({ method: "PATCH", url: `/api/v1/bookings/${id}`, payload: { status: "pencil" } });
    expect(pencil.statusCode).toBe(409);
    expect(pencil.json().conflict.id).toBe(MARA_CONFIRMED);
    const cancelled = await app.inject({ method: "POST", url: `/api/v1/bookings/${id}/cancel` });
    expect(cancelled.json()).toMatchObject({ id, status: "cancelled" });
  });

  it("answers 400 naming each bad field", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/bookings",
      payload: { artistId: "not-a-uuid", projectId: AURORA, status: "maybe", startsAt: at(2, 9), endsAt: at(1, 9) },
    });
    expect(response.statusCode).toBe(400);
    const fields = response.json().fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(["body.artistId", "body.status"]));
    const backwards = await app.inject({
      method: "POST",
      url: "/api/v1/bookings",
      payload: { artistId: MARA, projectId: AURORA, startsAt: at(2, 9), endsAt: at(1, 9) },
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().fields).toEqual([{ field: "body.endsAt", message: "must be after startsAt" }]);
    const otherStudio = await app.inject({
      method: "POST",
      url: "/api/v1/bookings",
      payload: { artistId: HARBOUR_ARTIST, projectId: AURORA, startsAt: at(30, 9), endsAt: at(30, 18) },
    });
    expect(otherStudio.statusCode).toBe(400);
    expect(otherStudio.json().fields[0].field).toBe("body.artistId");
  });

  it("caches availability in Redis and drops it when a booking changes", async () => {
    const url = `/api/v1/artists/${AIKO}/availability?from=${encodeURIComponent(at(21, 0))}&to=${encodeURIComponent(at(22, 0))}`;
    const messages = () => logs.entries().map((entry) => entry.msg);
    const first = await app.inject(url);
    expect(first.json()).toMatchObject({ available: true, blocking: [] });
    const second = await app.inject(url);
    expect(second.json()).toEqual(first.json());
    expect(messages().filter((m) => typeof m === "string" && m.startsWith("availability cache"))).toEqual(["availability cache miss", "availability cache hit"]);

    const booked = await app.inject({
      method: "POST",
      url: "/api/v1/bookings",
      payload: { artistId: AIKO, projectId: AURORA, status: "confirmed", startsAt: at(21, 9), endsAt: at(21, 18) },
    });
    expect(booked.statusCode).toBe(201);
    const third = await app.inject(url);
    expect(third.json()).toMatchObject({ available: false, blocking: [{ id: booked.json().id }] });
    expect(messages().filter((m) => typeof m === "string" && m.startsWith("availability cache")).slice(-2)).toEqual(["availability cache invalidated", "availability cache miss"]);
  });

  it("publishes the v1 routes in the OpenAPI document", async () => {
    const paths = Object.keys((await app.inject("/openapi.json")).json().paths);
    expect(paths).toEqual(expect.arrayContaining(["/api/v1/artists", "/api/v1/artists/{id}/availability", "/api/v1/bookings", "/api/v1/bookings/{id}", "/api/v1/bookings/{id}/cancel", "/api/v1/projects"]));
  });
});
