import type { Service } from "./schema.js";

/** How a client reaches a data service, e.g. postgres://app:pw@127.0.0.1:5432/app. */
export function connectionUrl(service: Service, host = "127.0.0.1"): string | undefined {
  const port = service.ports.main;
  if (service.kind === "postgres") {
    const { POSTGRES_USER: user = "postgres", POSTGRES_PASSWORD: password = "", POSTGRES_DB: db = user } = service.env;
    return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(db)}`;
  }
  if (service.kind === "redis") {
    const password = service.env.REDIS_PASSWORD ?? "";
    return `redis://${password ? `:${encodeURIComponent(password)}@` : ""}${host}:${port}`;
  }
  return undefined;
}
