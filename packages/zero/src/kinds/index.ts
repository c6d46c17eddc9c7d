import type { Service } from "../stack/schema.js";
import { imageKind } from "./image.js";
import type { KindDefinition } from "./kind.js";
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
} as const satisfies Record<Service["kind"], KindDefinition>;

export function kindOf(service: Pick<Service, "kind">): KindDefinition {
  return kinds[service.kind];
}

/** The images a stack may pull, with the variables that override them (for .env, stand-ins and docs). */
export function defaultImages(): Record<string, string> {
  return Object.fromEntries(
    Object.values(kinds).flatMap((kind: KindDefinition) => (kind.container.image ? [[kind.container.image.variable, kind.container.image.default]] : [])),
  );
}
