export { environmentViewSchema, serviceViewSchema, type EnvironmentView, type ServiceView } from "./environment.js";
