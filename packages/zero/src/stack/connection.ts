import { kindOf } from "../kinds/index.js";
import type { Service } from "./schema.js";

/** How a client reaches a data service, e.g. postgres://app:pw@127.0.0.1:5432/app (the kind knows). */
export function connectionUrl(service: Service, host = "127.0.0.1"): string | undefined {
  return kindOf(service).connection?.url(service, host);
}
