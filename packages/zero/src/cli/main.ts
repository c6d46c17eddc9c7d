import type { Project, ProjectOptions } from "../config/project.js";
import { isZeroError, ZeroError } from "../errors/zero-error.js";
import { parseCommandLine, parseSets, usageOrInternal } from "./arguments.js";
import type { CommandOptions } from "./command-options.js";
import type { Started } from "./early-main.js";
import { help } from "./commands/help.js";
import { colors as pc, createOutput, printError, type Output } from "./output.js";

type Command = (project: Project, out: Output, options: CommandOptions) => Promise<number>;

// Each command is loaded when it runs, so `zero up` does not pay for the database tools (pg alone is ~35 ms).
const loadUp = async () => (await import("./commands/up.js")).up;
const commands: Record<string, () => Promise<Command>> = {
  up: loadUp,
  dev: loadUp,
  down: async () => (await import("./commands/down.js")).down,
  status: async () => (await import("./commands/status.js")).status,
  config: async () => (await import("./commands/config.js")).config,
  logs: async () => (await import("./commands/logs.js")).logs,
  db: async () => (await import("./commands/db.js")).db,
  restart: async () => (await import("./commands/service.js")).serviceAction("restart"),
  stop: async () => (await import("./commands/service.js")).serviceAction("stop"),
  start: async () => (await import("./commands/service.js")).serviceAction("start"),
  exec: async () => (await import("./commands/service.js")).exec,
  psql: async () => (await import("./commands/client.js")).databaseClient("postgres"),
  debug: async () => (await import("./commands/debug.js")).debug,
  mcp: async () => (await import("./commands/mcp.js")).mcp,
  "redis-cli": async () => (await import("./commands/client.js")).databaseClient("redis"),
  "trust-ca": async () => (await import("./commands/trust-ca.js")).trustCa("install"),
  "untrust-ca": async () => (await import("./commands/trust-ca.js")).trustCa("uninstall"),
};

/** Commands that start, stop or replace the stack: never two at once on one stack home. */
const lifecycleCommands = new Set(["up", "dev", "down", "db reset", "db restore", "db restore-snapshot"]);

/** Commands that must work when stack.yaml or .env is broken or gone: they read the record of what runs. */
const recordCommands = new Set(["down", "status"]);

/**
 * The project, or, when its configuration cannot be loaded, the project as the runtime's record of what runs knows
 * it (saying so in one line), so a half-typed edit never keeps `make down` from stopping the stack.
 */
async function loadOrRecord(reload: () => Project, options: ProjectOptions, out: Output): Promise<Project> {
  const { projectFromRecord, recordedHome, withoutRecord } = await import("../config/recorded-project.js");
  try {
    return reload();
  } catch (error) {
    const home = recordedHome(options);
    // Loaded only here: the runtimes are not needed to load a project that is fine.
    const found = await (await import("../runtimes/index.js")).runtimeWithRecord(home);
    if (!found) throw withoutRecord(error, options);
    const reason = isZeroError(error) ? `${error.code}: ${[error.message, error.details[0]?.split("\n")[0] ?? ""].join(" ").trim().slice(0, 240)}` : String((error as Error)?.message ?? error);
    out.error(`${pc.yellow("!")} The configuration cannot be loaded (${reason}); working from the record of what runs, ${found.record}. Fix it before the next \`make dev\`.`);
    return projectFromRecord(options, found.runtime.name, home);
  }
}
/** Commands that start a stack: the only ones that create .env (with fresh passwords) when it is missing. */
const startsStack = new Set(["up", "dev", "debug"]);

/**
 * Parses the command line, loads the project, runs one command; returns the exit code. `started`: what bin/zero.js
 * started before this loaded (cli/early-main.ts); up/dev start it here when it is not given.
 */
export async function main(argv: string[], started?: Started): Promise<number> {
  let out = createOutput();
  let early = started?.early; // released below whatever happens, when no start took it
  try {
    const { positionals, values } = parseCommandLine(argv);
    const name = positionals[0] ?? "help";
    if (values.help || name === "help") return help(out);
    // up/dev: what the runtime can start before the project is loaded starts now (runtimes/early-start.ts).
    if (!started && (name === "up" || name === "dev")) {
      const { startEarly } = await import("../runtimes/early-start.js");
      early = await startEarly({ cwd: process.cwd(), env: process.env, set: parseSets(values.set ?? []), runtime: values.runtime || undefined });
    }
    // status and down of a running native stack were tried from its records before this (bin/zero.js runs
    // dist/record.cjs first: cli/record-main.ts); what they left to the full path is answered here.
    // A command parses each schema once or a few times: zod's compiled fast path (built with new Function on a
    // schema's first parse, ~30 ms for the state file alone) never pays for itself here.
    (await import("zod")).z.config({ jitless: true });
    // Loaded after help: reading the project brings in the YAML parser and zod (~1 MB of the bundle).
    const { findRoot, loadProject } = await import("../config/project.js");
    const { assertEnvNotLost, repairPrivateModes } = await import("../config/private-files.js");
    if (name === "schema") return (await import("./commands/schema.js")).schema(out, positionals[1]);
    if (name === "secrets") return (await import("./commands/secrets.js")).secrets(out, findRoot(process.cwd()), positionals[1]);
    if (name === "export") return (await import("./commands/export.js")).exportFile(out, findRoot(process.cwd()), positionals[1], Boolean(values.check));
    if (name === "stacks") return await (await import("./commands/stacks.js")).stacks(out, Boolean(values.json));
    if (name === "down" && values.all) return await (await import("./commands/stacks.js")).downAll(out, values.yes);
    if (name === "doctor") return await (await import("./commands/doctor.js")).doctor(out, findRoot(process.cwd()), Boolean(values.report));
    const loadCommand = commands[name];
    if (!loadCommand) throw new ZeroError("ZERO_USAGE", `Unknown command "${name}".`);
    const command = await loadCommand();
    const sets = parseSets(values.set ?? []);
    // up/dev: the services named (and what they depend on); debug: the service (api by default) and its dependencies.
    const selected = name === "up" || name === "dev" ? positionals.slice(1) : name === "debug" ? [positionals[1] ?? "api"] : [];
    const reload = (extra: Record<string, string> = {}, only = selected) =>
      loadProject({
        cwd: process.cwd(),
        env: process.env,
        profile: values.profile || undefined,
        with: values.with,
        runtime: values.runtime || undefined,
        set: { ...sets, ...extra },
        only,
        createEnv: startsStack.has(name),
      });
    const project = recordCommands.has(name) ? await loadOrRecord(reload, { cwd: process.cwd(), env: process.env, set: sets, profile: values.profile || undefined, runtime: values.runtime || undefined }, out) : reload();
    const lifecycle = name === "db" ? `db ${positionals[1]}` : name;
    // A command that only reads never writes .env; one that finds it gone under a running stack says so
    // (status in one line: it must work whatever happened to the configuration).
    // Isolated profiles (test) never read .env: nothing of theirs can be lost with it.
    const isolated = project.stackFile.profiles[project.profile]?.isolated;
    if (!startsStack.has(name) && !lifecycleCommands.has(lifecycle) && !isolated) {
      try {
        assertEnvNotLost(project.root, project.home);
      } catch (error) {
        if (!recordCommands.has(name) || !isZeroError(error)) throw error;
        out.error(`${pc.yellow("!")} ${error.code}: ${error.message} (${error.docs})`);
      }
    }
    out = createOutput(project.mask);
    // On stderr: `--json` output stays one document.
    for (const note of repairPrivateModes(project.root, project.home)) out.error(`  note      ${note}`);
    const run = () => command(project, out, {
      json: values.json,
      autoPorts: values["auto-ports"],
      follow: values["no-follow"] ? false : values.follow,
      tail: values.tail === undefined ? undefined : parseCount(values.tail),
      since: values.since === undefined ? undefined : parseSince(values.since),
      positionals: positionals.slice(1),
      yes: values.yes,
      noSeed: values["no-seed"],
      volumes: values.volumes,
      force: values.force,
      reload,
      early,
    });
    // Commands that start, stop or replace the stack run one at a time per stack home (docs/reliability.md).
    if (!lifecycleCommands.has(lifecycle)) return await run();
    const printer = out;
    const { withLifecycleLock } = await import("../orchestrate/lifecycle-lock.js");
    return await withLifecycleLock(project.home, lifecycle, run, { onWait: (message) => printer.line(`  note      ${message}`) });
  } catch (error) {
    const failure = isZeroError(error) ? error : usageOrInternal(error);
    printError(out, failure);
    if (process.env.ZERO_DEBUG && error instanceof Error) out.error(error.stack ?? "");
    return failure.exitCode;
  } finally {
    // Not taken (already running, a failed check, another runtime): it has started nothing, and goes.
    if (early) await (await import("../runtimes/early-start.js")).releaseEarly(early);
  }
}

function parseCount(text: string): number {
  const count = Number(text);
  if (!Number.isInteger(count) || count < 0) throw new ZeroError("ZERO_USAGE", `--tail expects a whole number, got "${text}".`);
  return count;
}

/** "10m", "2h", "30s" ago, or an ISO timestamp. */
function parseSince(text: string): string {
  const relative = /^(\d+)([smhd])$/.exec(text);
  if (relative) {
    const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[relative[2] as "s" | "m" | "h" | "d"];
    return new Date(Date.now() - Number(relative[1]) * unit).toISOString();
  }
  if (!Number.isNaN(Date.parse(text))) return new Date(text).toISOString();
  throw new ZeroError("ZERO_USAGE", `--since expects a duration like 10m or a timestamp, got "${text}".`);
}

