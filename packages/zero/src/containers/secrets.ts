import { isSecretName } from "../config/mask.js";
import type { Project } from "../config/project.js";
import { ZeroError } from "../errors/zero-error.js";
import { interpolate } from "../stack/interpolate.js";
import { runInputs } from "./inputs.js";

/** Where a container finds a mounted secret. */
export const SECRETS_PATH = "/run/secrets";

/** A variable holding a secret itself (POSTGRES_PASSWORD), not the path of one (POSTGRES_PASSWORD_FILE). */
export function isSecretVariable(name: string): boolean {
  return isSecretName(name) && !name.endsWith("_FILE");
}

/** The secret's name as mounted (postgres_password for POSTGRES_PASSWORD). */
export function secretName(variable: string): string {
  return variable.toLowerCase();
}

/** The values of the secrets a run mounts, by secret name (e.g. postgres_password). */
export function secretValues(project: Project): Record<string, string> {
  const values: Record<string, string> = {};
  for (const service of Object.values(project.stack.services)) {
    for (const [key, value] of Object.entries(service.env)) if (isSecretVariable(key)) values[secretName(key)] = value;
  }
  return values;
}

/**
 * The values of the secrets containers take in their environment (ContainerSpec.secretEnv), by secret name
 * (sentry_dsn): what Compose interpolates and the Kubernetes Secret holds, never the container definition.
 */
export function secretEnvValues(project: Project): Record<string, string> {
  const values: Record<string, string> = {};
  for (const input of runInputs(project)) {
    for (const key of input.secretEnv) if (!isSecretVariable(key)) values[secretName(key)] = input.env[key]!;
  }
  return values;
}

/** A container definition must never carry a password: only *_FILE references to mounted secrets. */
export function assertNoInlineSecrets(service: string, env: Record<string, string | undefined>) {
  for (const [key, value] of Object.entries(env)) {
    if (isSecretVariable(key) || value === undefined) continue;
    const secrets = [...interpolate(value, {}).used].filter(isSecretName);
    if (secrets.length > 0) {
      throw new ZeroError("ZERO_STACK_INVALID", `services.${service}.env.${key} uses ${secrets.join(", ")}, which would put a secret into the compose file.`, {
        why: "In containers, secrets are files under /run/secrets (the *_FILE convention), never values in a container definition.",
        next: `Override it under services.${service}.container.env without the secret and pass the secret as a *_FILE variable (see the api service in stack.yaml).`,
      });
    }
  }
}
