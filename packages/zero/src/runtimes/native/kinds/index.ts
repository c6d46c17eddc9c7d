import type { Service } from "../../../stack/schema.js";
import type { PrepareService } from "./kind.js";
import { prepareNode } from "./node.js";
import { preparePostgres } from "./postgres.js";
import { prepareRedis } from "./redis.js";

const kinds: Record<Service["kind"], PrepareService> = {
  postgres: preparePostgres,
  redis: prepareRedis,
  node: prepareNode,
};

/** How the native runtime launches a service of this kind. */
export function prepareFor(service: Service): PrepareService {
  return kinds[service.kind];
}
