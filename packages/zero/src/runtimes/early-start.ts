import type { EarlyOptions } from "./native/early-supervisor.js";

/**
 * What `zero up` starts before it loads the project, so that a runtime's own start-up overlaps loading it; handed
 * to the runtime as UpOptions.early. Only the native runtime has such a step (its supervisor's process, booting:
 * native/early-supervisor.ts); undefined when there is nothing to start early.
 */
export async function startEarly(options: EarlyOptions): Promise<unknown> {
  return (await import("./native/early-supervisor.js")).bootEarly(options);
}

/** Stops what `startEarly` started when no runtime took it (it has started nothing); a no-op otherwise. */
export async function releaseEarly(early: unknown): Promise<void> {
  const { isSupervisorBoot, releaseBoot } = await import("./native/supervisor-boot.js");
  if (isSupervisorBoot(early)) await releaseBoot(early);
}
