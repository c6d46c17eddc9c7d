import type { Healthcheck } from "../stack/schema.js";
import type { ContainerHealthcheck } from "./spec.js";

const TIMING = { intervalSeconds: 2, timeoutSeconds: 3, retries: 60 };

/** Each command if the image has its program; the first that exists decides. */
function tryEach(commands: string[]): string {
  return commands.map((command) => `{ command -v ${command.split(" ")[0]} >/dev/null && ${command}; }`).join(" || ");
}

/**
 * The same gates as native, run inside the container (Compose's depends_on and Kubernetes' readiness
 * wait on them). Scripts use literal `$`; `tool` is what the image has to make http/tcp requests with.
 */
export function containerHealthcheck(check: Healthcheck, ports: Record<string, number>, tool: "node" | "shell"): ContainerHealthcheck {
  switch (check.type) {
    case "postgres":
      // Over TCP: the official image's init server listens on the socket only, so it is never taken for ready.
      return { shell: `PGPASSWORD="$(cat "$POSTGRES_PASSWORD_FILE")" psql -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -tAc "select 1" >/dev/null`, ...TIMING };
    case "redis":
      return { shell: `REDISCLI_AUTH="$(cat "$REDIS_PASSWORD_FILE")" redis-cli ping | grep -q PONG`, ...TIMING };
    case "http": {
      const url = `http://127.0.0.1:${ports[check.port]}${check.path}`;
      const viaNode = `fetch("${url}").then((r) => process.exit(r.status < 400 ? 0 : 1), () => process.exit(1))`;
      // Whatever the image has: wget (busybox, alpine), curl, or node.
      if (tool === "shell") return { shell: `${tryEach([`wget -q -O /dev/null "${url}"`, `curl -fsS -o /dev/null "${url}"`])} || node -e '${viaNode}'`, ...TIMING };
      return { exec: ["node", "-e", viaNode], ...TIMING };
    }
    case "tcp":
    {
      const viaNode = `require("net").connect(${ports[check.port]}, "127.0.0.1").on("connect", () => process.exit(0)).on("error", () => process.exit(1))`;
      // nc, or bash's /dev/tcp (Debian-based images such as memcached's have bash but no nc), or node.
      const probes = [`nc -z 127.0.0.1 ${ports[check.port]}`, `bash -c 'exec 3<>/dev/tcp/127.0.0.1/${ports[check.port]}'`];
      if (tool === "shell") return { shell: `${tryEach(probes)} || node -e '${viaNode}'`, ...TIMING };
      return { exec: ["node", "-e", viaNode], ...TIMING };
    }
    case "command":
      return { exec: check.command, ...TIMING };
  }
}
