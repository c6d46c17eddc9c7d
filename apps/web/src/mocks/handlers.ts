import type { EnvironmentView, ServiceView } from "@zero/contracts";
import { delay, HttpResponse, http } from "msw";
import type { StackService, StackStatus } from "../lib/status";

// Frontend-only mode (make start-frontend mock=1): the supervisor's control path (/__zero, what the dashboard
// reads) and the API's environment, with what a freshly seeded stack shows. No supervisor, PostgreSQL, Redis or
// API needed.

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

const running = (
  kind: string,
  ports: Record<string, number>,
  extra: Partial<StackStatus["services"][string]> = {},
) => ({
  state: "running" as const,
  health: "healthy" as const,
  pid: 4242,
  ports,
  restarts: 0,
  startedAt: new Date(Date.now() - 754_000).toISOString(),
  cpu: 0.4,
  memoryBytes: 64 * 1024 * 1024,
  kind,
  dependsOn: {} as StackService["dependsOn"],
  urls: {} as Record<string, string>,
  ...extra,
});

/** What the supervisor's status stream sends for the default stack, every service healthy. */
export function mockStatus(): StackStatus {
  return {
    version: 1,
    runtime: "native",
    profile: "full",
    fingerprint: "mock",
    at: now(),
    services: {
      postgres: running("postgres", { main: 5432 }, { description: "PostgreSQL 17 database" }),
      redis: running("redis", { main: 6379 }, { description: "Redis cache" }),
      api: running(
        "node",
        { http: 3001, debug: 9229 },
        {
          description: "Fastify API (hot reload, debugger)",
          dependsOn: { postgres: "healthy", redis: "healthy" },
          urls: { API: "http://127.0.0.1:3001", "API docs": "http://127.0.0.1:3001/docs" },
        },
      ),
      web: running(
        "node",
        { http: 3000 },
        { description: "React dashboard", dependsOn: { api: "started" }, urls: { Web: "http://127.0.0.1:3000" } },
      ),
    },
  };
}

/** A Server-Sent Events answer that sends `frames` and stays open, as the supervisor's streams do. */
function eventStream(frames: string[]): HttpResponse<ReadableStream> {
  const encoder = new TextEncoder();
  const body = new ReadableStream({
    start(controller) {
      for (const frame of frames) controller.enqueue(encoder.encode(frame));
    },
  });
  return new HttpResponse(body, { headers: { "content-type": "text/event-stream" } });
}

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
  http.get("*/__zero/v1/status", () => eventStream([`event: status\ndata: ${JSON.stringify(mockStatus())}\n\n`])),
  http.get("*/__zero/v1/logs", () =>
    eventStream(
      logLines.map(
        ([name, line], index) => `id: ${index + 1}\ndata: ${JSON.stringify({ ts: now(), service: name, line })}\n\n`,
      ),
    ),
  ),
  http.get("*/__zero/v1/stacks", () =>
    HttpResponse.json({ self: { name: "zero-to-running", branch: "main" }, others: [] }),
  ),
  http.get("*/__zero/v1/config", () =>
    HttpResponse.json({
      profile: "full",
      runtime: "native",
      settings: [
        { name: "API_PORT", value: "3001", source: "default in stack.yaml", description: "Port of the API" },
        {
          name: "POSTGRES_PASSWORD",
          value: "****",
          source: ".env line 8",
          description: "Password of the PostgreSQL role (secret)",
        },
      ],
      problems: [],
      changedSinceStart: false,
    }),
  ),
  http.post("*/__zero/v1/services/:name/:action", async ({ params }) => {
    await delay(400);
    return HttpResponse.json({ service: params.name, [String(params.action)]: true });
  }),
  http.get("*/api/v1/environment", () => HttpResponse.json(mockEnvironment())),
];
