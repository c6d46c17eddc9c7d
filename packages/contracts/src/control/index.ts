// The supervisor's control API: one zod schema per request and answer (packages/zero/src/runtimes/native/supervisor/).
export * from "./actions.js";
export * from "./config.js";
export * from "./endpoints.js";
export * from "./logs.js";
export * from "./stacks.js";
export * from "./status.js";
export * from "./traces.js";
export * from "./requests.js";
