import type { EnvironmentView, ServiceView } from "@zero/contracts";
import { delay, HttpResponse, http, sse } from "msw";
import type { Readiness } from "../lib/readiness";

// Frontend-only mode (make start-frontend mock=1): the API's answers, typed by the same contracts the API
// validates with, with what a freshly seeded stack shows. No PostgreSQL, Redis or API needed.

const now = () => new Date().toISOString();
const service = (
  name: string,
  url: string | null,
  memoryMb: number,
  extra: Partial<ServiceView> = {},
): ServiceView => ({
  name,
  state: "running",
  health: "healthy",
  latencyMs: 3,
  checkedAt: now(),
  uptimeSeconds: 754,
  cpuPercent: 0.4,
  memoryBytes: memoryMb * 1024 * 1024,
  restarts: 0,
  url,
  ...extra,
});

/** What GET /api/v1/environment answers for the default stack, every service healthy. */
export function mockEnvironment(): EnvironmentView {
  return {
    status: "ready",
    supervisor: { state: "connected" },
    services: [
      service("postgres", "postgres://127.0.0.1:5432/app", 38),
      service("redis", "redis://127.0.0.1:6379", 9, { latencyMs: 1 }),
      service("api", "http://127.0.0.1:3001", 96, { latencyMs: 12 }),
      service("web", "http://127.0.0.1:3000", 142, { latencyMs: 5 }),
    ],
  };
}

const readiness: Readiness = { status: "ready", database: "ok", cache: "ok" };

// Log lines as the API writes them while the seeded studios use it (names from infrastructure/database/seeds).
const logLines: [string, string][] = [
  ["postgres", "database system is ready to accept connections"],
  ["redis", "Ready to accept connections tcp"],
  ["api", '{"level":30,"msg":"applied 1 migration(s)"}'],
  ["api", '{"level":30,"msg":"seeded the new database (AUTO_SEED=true, first start)"}'],
  ["api", '{"level":30,"msg":"Server listening at http://127.0.0.1:3001"}'],
  ["web", "VITE ready in 412 ms"],
  [
    "api",
    '{"level":30,"msg":"request completed","method":"GET","url":"/api/v1/artists","statusCode":200,"tenant":"northlight"}',
  ],
  ["api", '{"level":30,"msg":"booking created","artist":"Mara Okafor","project":"Aurora - title sequence"}'],
  [
    "api",
    '{"level":30,"msg":"request completed","method":"GET","url":"/api/v1/bookings","statusCode":200,"tenant":"northlight"}',
  ],
];

export const handlers = [
  http.get("*/health/ready", async () => {
    await delay(15);
    return HttpResponse.json(readiness);
  }),
  http.get("*/api/v1/environment", () => HttpResponse.json(mockEnvironment())),
  http.post("*/api/v1/environment/services/:name/restart", async ({ params }) => {
    await delay(400);
    return HttpResponse.json({ service: params.name, restarted: true });
  }),
  sse("*/api/v1/environment/logs", ({ client }) => {
    for (const [name, line] of logLines) client.send({ data: JSON.stringify({ ts: now(), service: name, line }) });
  }),
];
