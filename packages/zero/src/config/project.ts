import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { ZeroError } from "../errors/zero-error.js";
import { defaultRuntime } from "../runtimes/table.js";
import { withDependencies } from "../stack/graph.js";
import { PROFILE_JOINER, withProfile } from "../stack/profiles.js";
import { readStackFile, resolveStack, type Stack, type StackFile } from "../stack/load.js";
import { ensureEnvFile, generatedSecretNames, isPlaceholder } from "./first-run.js";
import { configHash } from "./config-hash.js";
import { createMasker, isSecretName, secretValues } from "./mask.js";
import { validateVariables } from "./validate.js";
import { findRoot } from "./root.js";
import { resolveVariables, type Variables } from "./variables.js";

export { findRoot };

/** Everything a command needs: where the project is, its variables, and the stack to run. */
export interface Project {
  root: string;
  stackFile: StackFile;
  profile: string;
  runtime: string;
  variables: Variables;
  stack: Stack;
  /** zero's own folder for state, logs and data (.zero by default). */
  home: string;
  secrets: string[];
  mask: (text: string) => string;
  /** Changes whenever what would run changes; tells "already up" from "up with other settings". */
  fingerprint: string;
  /** Things worth telling the user that happened while loading (e.g. ".env created"). */
  notes: string[];
  /** Secret variables still set to a CHANGE_ME placeholder (compose/kubernetes refuse them unless forced). */
  placeholders: string[];
  /** Of stack.yaml and the .env* files as they were when the project was loaded (config/config-hash.ts). */
  configHash?: string;
  /** Loaded from a runtime's record of what runs because the configuration cannot be (only down and status). */
  fromRecord?: boolean;
}

export interface ProjectOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  profile?: string;
  runtime?: string;
  /** `--set NAME=value` flags: the highest precedence. */
  set?: Record<string, string>;
  /** Add-on profiles joined to the chosen one (`--with monitoring`). */
  with?: string[];
  /** Start only these services (and what they depend on). */
  only?: string[];
  /** Create .env from .env.example when it is missing: only commands that start a stack do (read-only ones never). */
  createEnv?: boolean;
}

export function loadProject(options: ProjectOptions): Project {
  const root = findRoot(options.cwd);
  // Before anything is read: an edit from here on shows as a different hash (re-taken below when .env is created).
  let hashed = configHash(root);
  const stackFile = readStackFile(join(root, "stack.yaml"));
  const notes: string[] = [...stackFile.notes];
  const flags = options.set ?? {};
  const chosen = options.profile ?? flags.ZERO_PROFILE ?? options.env.ZERO_PROFILE ?? "full";
  // `monitoring=1` (--with monitoring): an add-on joined to whichever profile was chosen.
  const profile = [chosen, ...(options.with ?? [])].join(PROFILE_JOINER);
  stackFile.profiles = withProfile(stackFile.profiles, profile);
  if (options.createEnv && !stackFile.profiles[profile]?.isolated && ensureEnvFile(root)) {
    notes.push("Created .env from .env.example with freshly generated passwords (it is git-ignored; keep it private).");
    hashed = configHash(root);
  }
  // A command that only reads never creates .env (its new passwords would not be the running stack's): until
  // `make dev` creates it, the template's values stand in.
  const envFile = !existsSync(join(root, ".env")) && existsSync(join(root, ".env.example")) ? ".env.example" : ".env";
  if (envFile !== ".env" && !stackFile.profiles[profile]?.isolated)
    notes.push("No .env yet: showing .env.example's values; `make dev` creates .env with fresh passwords.");
  const variables = resolveVariables({ root, stackFile, profile, env: options.env, flags, envFile });
  validateVariables(variables);
  notes.push(...variables.warnings.map((warning) => `WARNING: ${warning}`));
  const stack = selectServices(resolveStack(stackFile, profile, variables.values), options.only ?? []);
  // Masked by value: every secret by name or declared in stack.yaml, what *_FILE files hold, and every value zero
  // generates whatever its name; in the variables and in each service's own environment.
  const generated = generatedSecretNames(root).map((name) => variables.values[name] ?? "");
  const declared = stackFile.secrets;
  const secrets = [
    ...secretValues(variables.values, declared, root),
    ...Object.values(stack.services).flatMap((service) => secretValues(service.env, declared, root)),
    ...generated.filter((value) => !isPlaceholder(value)),
  ];
  const placeholders = Object.entries(variables.values)
    .filter(([name, value]) => isSecretName(name) && isPlaceholder(value))
    .map(([name]) => name);
  if (placeholders.length > 0) {
    notes.push(`WARNING: ${placeholders.join(", ")} still ${placeholders.length === 1 ? "holds" : "hold"} the CHANGE_ME placeholder from .env.example. Run \`make secrets\` to generate real ones.`);
  }
  const home = resolve(root, variables.values.ZERO_HOME ?? ".zero");
  const runtime = options.runtime ?? variables.values.ZERO_RUNTIME ?? defaultRuntime;
  const fingerprint = createHash("sha256").update(JSON.stringify({ runtime, stack })).digest("hex").slice(0, 16);
  return {
    root,
    stackFile,
    profile,
    runtime,
    variables,
    stack,
    home,
    secrets,
    mask: createMasker(secrets),
    fingerprint,
    notes,
    placeholders,
    configHash: hashed,
  };
}

function selectServices(stack: Stack, names: string[]): Stack {
  if (names.length === 0) return stack;
  const unknown = names.filter((name) => !stack.services[name]);
  if (unknown.length > 0) {
    throw new ZeroError("ZERO_USAGE", `No service ${unknown.map((n) => `"${n}"`).join(", ")} in profile "${stack.profile}".`, {
      next: `Name one of: ${Object.keys(stack.services).join(", ")}.`,
    });
  }
  return { ...stack, services: withDependencies(stack.services, names) };
}

