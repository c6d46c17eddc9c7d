import type { KindDefinition } from "./kind.js";

/** Redis with a password and append-only persistence. */
export const redisKind: KindDefinition = {
  description: "Redis cache",
  requires: { mainPort: true },
  connection: {
    label: "Redis",
    url: (service, host) => {
      const password = service.env.REDIS_PASSWORD ?? "";
      return `redis://${password ? `:${encodeURIComponent(password)}@` : ""}${host}:${service.ports.main}`;
    },
  },
  native: { driver: "redis-server" },
  container: {
    image: { variable: "REDIS_IMAGE", default: "redis:7-bookworm" },
    dataPath: "/data",
    user: "redis",
    uid: 999,
    // The password reaches redis-server through a config file, never its command line (ps would show it).
    command: [
      "sh",
      "-c",
      'umask 077 && printf "requirepass %s\\n" "$(cat "$REDIS_PASSWORD_FILE")" > /tmp/redis.conf && exec redis-server /tmp/redis.conf --appendonly yes --appendfsync everysec',
    ],
    limits: { memory: "256m", cpus: 0.5 },
    probeTool: "shell",
  },
};
