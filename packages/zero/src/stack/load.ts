import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { z } from "zod";
import { ZeroError } from "../errors/zero-error.js";
import { kindOf, kindsWith } from "../kinds/index.js";
import { checkGraph } from "./graph.js";
import { interpolate, referencesIn } from "./interpolate.js";
import { profileMembers } from "./profiles.js";
import { profileSchema, stackSchema, type Profile, type Service } from "./schema.js";
import { checkWatchRules } from "./watch-rules.js";
import { parseCached } from "./parse-cache.js";

/** The parsed but not yet interpolated stack.yaml. */
export interface StackFile {
  path: string;
  name: string;
  profiles: Record<string, Profile>;
  /** Variables declared secret (`secrets:`): masked by value whatever their names. */
  secrets: string[];
  raw: Record<string, unknown>;
  /** Things worth telling the user about the file itself (deprecated names). */
  notes: string[];
}

/** A stack ready to run: one profile's services with every variable filled in. */
export interface Stack {
  name: string;
  profile: string;
  services: Record<string, Service>;
}

/** Reads stack.yaml and validates what does not depend on variables (its profiles). */
export function readStackFile(path: string): StackFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new ZeroError("ZERO_STACK_INVALID", `Cannot read the stack definition ${path}.`, {
      why: "zero looks for stack.yaml in the project root (the folder with the Makefile).",
      next: "Run zero from the project root, or pass --stack <file>.",
      cause,
    });
  }
  const raw = parseCached(text, (yaml) => {
    const document = parseDocument(yaml, { prettyErrors: true });
    if (document.errors.length > 0) {
      throw invalid(path, document.errors.map((error) => error.message));
    }
    return toPlainObject(document, path);
  }) as Record<string, unknown>;
  const notes = renameComposeBlocks(path, raw);
  const header = z
    .object({ name: z.string(), profiles: z.record(z.string(), profileSchema), secrets: stackSchema.shape.secrets })
    .safeParse(raw);
  if (!header.success) throw invalid(path, formatIssues(header.error));
  return { path, name: header.data.name, profiles: header.data.profiles, secrets: header.data.secrets, raw, notes };
}

/**
 * The document as plain data. Some mistakes pass the parser and only fail here (an alias `*name` whose anchor
 * `&name` is missing, found by fuzzing): they are stack.yaml errors too, never a crash.
 */
function toPlainObject(document: ReturnType<typeof parseDocument>, path: string): Record<string, unknown> {
  try {
    return (document.toJS() ?? {}) as Record<string, unknown>;
  } catch (error) {
    throw invalid(path, [(error as Error).message]);
  }
}

/** `compose:` was the container block's first name: still read, with a note to rename it (docs/stack.md). */
function renameComposeBlocks(path: string, raw: Record<string, unknown>): string[] {
  const services = (raw.services ?? {}) as Record<string, Record<string, unknown> | null>;
  const renamed: string[] = [];
  for (const [name, service] of Object.entries(services)) {
    if (!service || typeof service !== "object" || !("compose" in service)) continue;
    if ("container" in service) throw invalid(path, [`services.${name}: has both container: and its old name compose:; keep container: only`]);
    service.container = service.compose;
    delete service.compose;
    renamed.push(name);
  }
  if (renamed.length === 0) return [];
  return [`${path}: rename "compose:" to "container:" in ${renamed.join(", ")} (the block is the same for every container runtime; the old name still works for now).`];
}

/** Interpolates variables, validates every service and keeps those of the chosen profile. */
export function resolveStack(file: StackFile, profile: string, variables: Record<string, string | undefined>): Stack {
  const members = profileMembers(file.profiles, profile);
  const { value, missing } = interpolate(file.raw, variables);
  const parsed = stackSchema.safeParse(value);
  if (!parsed.success) throw invalid(file.path, formatIssues(parsed.error));
  const all = Object.fromEntries(
    Object.entries(parsed.data.services).map(([name, definition]) => [name, { ...definition, name }]),
  );
  const problems = [...checkGraph(all), ...checkServices(all, file.profiles)];
  if (problems.length > 0) throw invalid(file.path, problems);
  const selected = selectProfile(all, members);
  const clashes = portClashes(selected);
  if (clashes.length > 0) {
    throw new ZeroError("ZERO_CONFIG_INVALID", "Two services would listen on the same port.", {
      why: "Every port must be distinct; the ports come from variables such as API_PORT in .env.",
      next: "Give each service its own port in .env (e.g. API_PORT=3002), then run the command again.",
      details: clashes,
    });
  }
  const unset = [...missing].filter((name) => usedBy(selected, file.raw, name));
  if (unset.length > 0) {
    throw new ZeroError("ZERO_CONFIG_INVALID", `Required variables are not set: ${unset.join(", ")}.`, {
      why: "stack.yaml uses them without a default, and neither .env nor the environment sets them.",
      next: `Add them to .env (see .env.example), or delete .env to have zero generate a fresh one.`,
    });
  }
  return { name: parsed.data.name, profile, services: selected };
}

/** Services of the profiles; dependencies on services outside them are dropped (e.g. no cache in "minimal"). */
function selectProfile(all: Record<string, Service>, profiles: string[]): Record<string, Service> {
  const chosen = Object.values(all).filter((service) => service.profiles.some((profile) => profiles.includes(profile)));
  const names = new Set(chosen.map((service) => service.name));
  return Object.fromEntries(
    chosen.map((service) => [
      service.name,
      {
        ...service,
        depends_on: Object.fromEntries(Object.entries(service.depends_on).filter(([name]) => names.has(name))),
      },
    ]),
  );
}

function checkServices(all: Record<string, Service>, profiles: Record<string, Profile>): string[] {
  const problems: string[] = [];
  for (const [name, profile] of Object.entries(profiles)) {
    const base = profile.adds_to && profiles[profile.adds_to];
    if (profile.adds_to && (!base || base.adds_to)) problems.push(`profiles.${name}.adds_to: "${profile.adds_to}" is not a profile that is not itself an add-on`);
  }
  for (const service of Object.values(all)) {
    const at = `services.${service.name}`;
    for (const profile of service.profiles) {
      if (!profiles[profile]) problems.push(`${at}.profiles: unknown profile "${profile}"`);
    }
    const kind = kindOf(service);
    if (kind.requires.command && !service.command) problems.push(`${at}.command: a ${service.kind} service needs a command`);
    const check = service.healthcheck;
    if (check && "port" in check && service.ports[check.port] === undefined) {
      problems.push(`${at}.healthcheck.port: "${check.port}" is not one of its ports`);
    }
    if (service.database && !kind.database) {
      problems.push(`${at}.database: only a ${kindsWith((k) => k.database).join(" or ")} service has migrations and seeds`);
    }
    if (kind.requires.containerImage && !service.container?.image && !service.container?.build) {
      problems.push(`${at}.container.image: an ${service.kind} service names its image (or a container.build)`);
    }
    if (service.native && !kind.native.skippable) {
      problems.push(`${at}.native: only an ${kindsWith((k) => k.native.skippable).join(" or ")} service may be skipped natively`);
    }
    if (kind.requires.mainPort && service.ports.main === undefined) {
      problems.push(`${at}.ports.main: a ${service.kind} service needs a "main" port`);
    }
    if (service.start_early && Object.keys(service.depends_on).length === 0) {
      problems.push(`${at}.start_early: only a service with depends_on can start before its dependencies are met`);
    }
    if (service.start_early && !service.command) {
      problems.push(`${at}.start_early: needs a command, a program that waits for the line on ZERO_DEPENDENCIES_FD`);
    }
    problems.push(...checkWatchRules(service));
  }
  return problems;
}

function portClashes(services: Record<string, Service>): string[] {
  const claimed = new Map<number, string>();
  const clashes: string[] = [];
  for (const service of Object.values(services)) {
    for (const [name, port] of Object.entries(service.ports)) {
      const other = claimed.get(port);
      if (other) clashes.push(`- port ${port}: wanted by ${other} and by ${service.name} (${name})`);
      else claimed.set(port, `${service.name} (${name})`);
    }
  }
  return clashes;
}

/** Whether a missing variable matters: only if a selected service references it. */
function usedBy(selected: Record<string, Service>, raw: Record<string, unknown>, variable: string): boolean {
  const services = (raw.services ?? {}) as Record<string, unknown>;
  return Object.keys(selected).some((name) => interpolate(services[name], {}).used.has(variable));
}

function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join(".") || "(top level)"}: ${issue.message}`);
}

function invalid(path: string, problems: string[]): ZeroError {
  return new ZeroError("ZERO_STACK_INVALID", `${path} is not a valid stack definition.`, {
    details: problems.map((problem) => `- ${problem}`),
  });
}

/** The variable that sets a service's port in stack.yaml (`${API_PORT:-3001}` → API_PORT), if any. */
export function portVariable(file: StackFile, service: string, port: string): string | undefined {
  const services = (file.raw.services ?? {}) as Record<string, { ports?: Record<string, unknown> }>;
  return referencesIn(services[service]?.ports?.[port])[0]?.variable;
}
