// The states a service can be in, without zod: the supervisor (which does not load zod) lists them in its metrics,
// and the status schema builds its enum from the same list.
export const SERVICE_STATES = [
  "pending",
  "starting",
  "running",
  "restarting",
  "stopping",
  "stopped",
  "failed",
] as const;
