import { kindOf } from "../kinds/index.js";
import type { Service } from "../stack/schema.js";

/** Where a service keeps its data in a container: stack.yaml's container.data, else its kind's; none when stateless. */
export function containerDataPath(service: Service): string | undefined {
  return service.container?.data ?? kindOf(service).container.dataPath;
}
