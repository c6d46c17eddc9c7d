import type { KindDefinition } from "./kind.js";

/** PostgreSQL: data service on port "main", scram passwords, migrations through `zero db`. */
export const postgresKind: KindDefinition = {
  description: "PostgreSQL database",
  requires: { mainPort: true },
  connectionUrl: (service, host) => {
    const { POSTGRES_USER: user = "postgres", POSTGRES_PASSWORD: password = "", POSTGRES_DB: db = user } = service.env;
    return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${service.ports.main}/${encodeURIComponent(db)}`;
  },
  container: {
    image: { variable: "POSTGRES_IMAGE", default: "postgres:17-bookworm" },
    dataPath: "/var/lib/postgresql/data",
    limits: { memory: "1g", cpus: 1 },
    probeTool: "shell",
  },
};
