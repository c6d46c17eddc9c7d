// The container layer shared by every container runtime (compose and kubernetes): see docs/architecture.md.
export { containerStack } from "./build-stack.js";
export { containerDataPath } from "./data-path.js";
export { containerHealthcheck } from "./healthcheck.js";
export { runInputs, templateInputs, type ContainerInput } from "./inputs.js";
export { assertNoInlineSecrets, isSecretVariable, secretEnvValues, secretName, secretValues, SECRETS_PATH } from "./secrets.js";
export type { ContainerHealthcheck, ContainerMount, ContainerPort, ContainerSpec, ContainerStack, ContainerTarget } from "./spec.js";
