import { imageKind } from "./image.js";
import type { KindDefinition } from "./kind.js";
import { memcachedKind } from "./memcached.js";
import { nodeKind } from "./node.js";
import { postgresKind } from "./postgres.js";
import { processKind } from "./process.js";
import { redisKind } from "./redis.js";

/** Every kind of service, by the name stack.yaml uses. A new kind is one file and one line here. */
export const kinds = {
  postgres: postgresKind,
  redis: redisKind,
  node: nodeKind,
  process: processKind,
  image: imageKind,
  memcached: memcachedKind,
} as const satisfies Record<string, KindDefinition>;

/** A kind's name as stack.yaml writes it. */
export type KindName = keyof typeof kinds;

/** The registered names, for the stack schema's enum. */
export const kindNames = Object.keys(kinds) as [KindName, ...KindName[]];

export function kindOf(service: { kind: KindName }): KindDefinition {
  return kinds[service.kind];
}

/** The kinds with a fact, by name (for messages such as "only a postgres service has migrations"). */
export function kindsWith(fact: (kind: KindDefinition) => unknown): KindName[] {
  return kindNames.filter((name) => fact(kinds[name]));
}

/** The .env variables that replace the kinds' images (stand-ins, mirrors): read from the environment too. */
export function imageVariables(): string[] {
  return kindNames.flatMap((name) => {
    const image: KindDefinition["container"]["image"] = kinds[name].container.image;
    return image ? [image.variable] : [];
  });
}
