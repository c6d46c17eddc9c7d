import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Project } from "../../config/project.js";
import { ZeroError } from "../../errors/zero-error.js";
import type { Service } from "../../stack/schema.js";
import type { CommandOptions } from "../command-options.js";
import type { Output } from "../output.js";

interface ClientLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Removes what the launch wrote (the password file). */
  cleanup: () => void;
}

// Every runtime publishes PostgreSQL and Redis on 127.0.0.1 at the same ports, so one host client serves them all.
const clients = {
  postgres: {
    command: "psql",
    install: "apt install postgresql-client (Debian/Ubuntu) · brew install libpq (macOS)",
    /** The password goes in a private PGPASSFILE, never in argv (visible in `ps`) or in an exported variable. */
    launch(service: Service, extra: string[]): ClientLaunch {
      const user = service.env.POSTGRES_USER ?? "postgres";
      const database = service.env.POSTGRES_DB ?? user;
      const dir = mkdtempSync(join(tmpdir(), "zero-psql-"));
      const passfile = join(dir, "pgpass");
      const escaped = (service.env.POSTGRES_PASSWORD ?? "").replace(/[\\:]/g, "\\$&");
      writeFileSync(passfile, `127.0.0.1:${service.ports.main}:*:${user}:${escaped}\n`, { mode: 0o600 });
      return {
        command: "psql",
        args: ["-h", "127.0.0.1", "-p", String(service.ports.main), "-U", user, "-d", database, ...extra],
        env: { PGPASSFILE: passfile },
        cleanup: () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  redis: {
    command: "redis-cli",
    install: "it comes with redis-server: apt install redis-tools · brew install redis",
    /** REDISCLI_AUTH is redis-cli's own way to take the password outside argv. */
    launch(service: Service, extra: string[]): ClientLaunch {
      return {
        command: "redis-cli",
        args: ["-h", "127.0.0.1", "-p", String(service.ports.main), ...extra],
        env: { REDISCLI_AUTH: service.env.REDIS_PASSWORD ?? "" },
        cleanup: () => {},
      };
    },
  },
} as const;

/** `zero psql` / `zero redis-cli` (make psql, make redis-cli): a client on the stack's database or cache. */
export function databaseClient(kind: keyof typeof clients) {
  return async (project: Project, _out: Output, options: CommandOptions): Promise<number> => {
    const client = clients[kind];
    const service = Object.values(project.stack.services).find((candidate) => candidate.kind === kind);
    if (!service) {
      throw new ZeroError("ZERO_USAGE", `Profile ${project.profile} has no ${kind} service.`, {
        next: "Pick a profile that has it, e.g. profile=full.",
      });
    }
    const launch = client.launch(service, options.positionals ?? []);
    try {
      const child = spawn(launch.command, launch.args, { stdio: "inherit", env: { ...process.env, ...launch.env } });
      // once() rejects on "error" (ENOENT when the client is not installed).
      const [code] = (await once(child, "exit")) as [number | null];
      return code ?? 1;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      throw new ZeroError("ZERO_PREREQ_MISSING", `${client.command} is not installed.`, {
        next: `Install it: ${client.install}.`,
        cause: error,
      });
    } finally {
      launch.cleanup();
    }
  };
}
