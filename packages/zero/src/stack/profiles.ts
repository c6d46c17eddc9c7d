import { ZeroError } from "../errors/zero-error.js";
import type { Profile } from "./schema.js";

/** Joins profiles in a name: `backend+monitoring` runs the services of both. */
export const PROFILE_JOINER = "+";

/**
 * The profiles a name stands for, in layering order. `a+b` is a then b; an add-on profile chosen alone
 * (`monitoring`, with `adds_to: full`) stands for the profile it adds to, then itself.
 */
export function profileMembers(profiles: Record<string, Profile>, name: string): string[] {
  const parts = name.split(PROFILE_JOINER);
  const unknown = parts.filter((part) => !profiles[part]);
  if (unknown.length > 0 || parts.length === 0) {
    const known = Object.entries(profiles).map(([key, p]) => `  ${key.padEnd(10)} ${p.description}`);
    throw new ZeroError("ZERO_PROFILE_UNKNOWN", `There is no profile "${unknown[0] ?? name}" in stack.yaml.`, {
      next: `Name one of the profiles below; add-ons join with "${PROFILE_JOINER}" (e.g. backend${PROFILE_JOINER}monitoring).`,
      details: ["Profiles:", ...known],
    });
  }
  if (parts.length === 1 && profiles[name]!.adds_to) return [profiles[name]!.adds_to!, name];
  return parts;
}

/**
 * The settings of a combined name as one profile: variables layered in order (later wins), isolated or
 * ephemeral when any member is. A single plain profile is returned as it is.
 */
export function combineProfiles(profiles: Record<string, Profile>, name: string): Profile {
  const members = profileMembers(profiles, name);
  if (members.length === 1) return profiles[name]!;
  const chosen = members.map((member) => profiles[member]!);
  return {
    description: chosen.map((profile) => profile.description).join(" + "),
    isolated: chosen.some((profile) => profile.isolated),
    ephemeral: chosen.some((profile) => profile.ephemeral),
    variables: Object.assign({}, ...chosen.map((profile) => profile.variables)),
  };
}

/** The profiles of a stack file with `name` among them (combined when it joins several), so every lookup by name works. */
export function withProfile(profiles: Record<string, Profile>, name: string): Record<string, Profile> {
  const own = profiles[name];
  if (own && !own.adds_to) return profiles;
  // An add-on keeps adds_to, so its members are found again from the returned profiles.
  return { ...profiles, [name]: { ...combineProfiles(profiles, name), adds_to: own?.adds_to } };
}

/** A profile name usable in Docker project names and Kubernetes namespaces (`+` is not allowed there). */
export function profileSlug(name: string): string {
  return name.replaceAll(PROFILE_JOINER, "-");
}

/**
 * The name of one running copy of a stack where Docker or a cluster wants one (the Compose project's base, the
 * Kubernetes namespace): the stack's name, plus the profile when it is isolated, so an isolated profile never
 * shares containers, volumes or objects with the stack's other profiles.
 */
export function stackInstanceName(stackName: string, profiles: Record<string, Profile>, profile: string): string {
  return profiles[profile]?.isolated ? `${stackName}-${profileSlug(profile)}` : stackName;
}
