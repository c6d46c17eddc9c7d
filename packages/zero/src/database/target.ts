import { resolve } from "node:path";
import type { Project } from "../config/project.js";
import { ZeroError } from "../errors/zero-error.js";
import { kindOf } from "../kinds/index.js";
import { connectionUrl } from "../stack/connection.js";
import type { Service } from "../stack/schema.js";

/** The stack's database as `zero db` sees it: its service, how to reach it, and its folders (absolute). */
export interface DatabaseTarget {
  service: Service;
  url: string;
  migrationsDir: string;
  seedsDir: string | undefined;
}

/** The one postgres service of the profile that declares `database:` folders in stack.yaml. */
export function databaseTarget(project: Project): DatabaseTarget {
  const candidates = Object.values(project.stack.services).filter((service) => kindOf(service).database && service.database);
  const service = candidates[0];
  if (!service?.database || candidates.length > 1) {
    throw new ZeroError("ZERO_STACK_INVALID", candidates.length > 1
      ? `Profile "${project.profile}" has several postgres services with database folders: ${candidates.map((s) => s.name).join(", ")}.`
      : `Profile "${project.profile}" has no postgres service with database folders.`, {
      why: "`zero db` works on exactly one postgres service whose `database:` entry names its migrations (and seeds).",
      next: "Add `database: { migrations: ..., seeds: ... }` to one postgres service in stack.yaml (see docs/database.md).",
    });
  }
  return {
    service,
    url: connectionUrl(service)!,
    migrationsDir: resolve(project.root, service.database.migrations),
    seedsDir: service.database.seeds ? resolve(project.root, service.database.seeds) : undefined,
  };
}
