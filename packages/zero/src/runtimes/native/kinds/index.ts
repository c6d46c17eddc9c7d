import type { Service } from "../../../stack/schema.js";
import { prepareImage } from "./image.js";
import type { PrepareService } from "./kind.js";
import { preparePostgres } from "./postgres.js";
import { prepareProcess } from "./process.js";
import { prepareRedis } from "./redis.js";

const kinds: Record<Service["kind"], PrepareService> = {
  postgres: preparePostgres,
  redis: prepareRedis,
  node: prepareProcess,
  process: prepareProcess,
  image: prepareImage,
};

/** How the native runtime launches a service of this kind. */
export function prepareFor(service: Service): PrepareService {
  return kinds[service.kind];
}
