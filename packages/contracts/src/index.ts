export { environmentViewSchema, serviceViewSchema, type EnvironmentView, type ServiceView } from "./environment.js";
export { hostName, isAllowedHost, parseAllowedHosts } from "./host-allowlist.js";
export * from "./control/index.js";
