import * as z from "zod";

// POST /v1/services/:name/{restart,stop,start} and POST /v1/down, and every error answer.

export const serviceNameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "a service name");
export const serviceParamsSchema = z.object({ name: serviceNameSchema });
export const serviceActionSchema = z.enum(["restart", "stop", "start"]);

/**
 * joined: true when this request arrived while the same action was queued or running for that service, and got that
 * one's answer instead of running it again (actions on one service run one at a time, in order of arrival).
 */
const joined = z.boolean().optional();
export const restartResultSchema = z.object({ restarted: z.string(), joined });
/** stopped: false when it was not running. */
export const stopResultSchema = z.object({ service: z.string(), stopped: z.boolean(), joined });
/** started: false when it was already running. */
export const startResultSchema = z.object({ service: z.string(), started: z.boolean(), joined });
/**
 * The services that were stopped; the supervisor exits after answering. leftBehind: one line per process that did not
 * stop even after SIGKILL (stuck in the kernel), naming the service and pid.
 */
export const downResultSchema = z.object({ stopped: z.array(z.string()), leftBehind: z.array(z.string()).optional() });

/**
 * Every non-2xx answer (400 bad request, 401 token, 403 Host, 404 endpoint, 409 the stack is going down, 500 failure).
 * code: the server's own stable code when it knows why (ZERO_PORT_IN_USE), so the CLI names it as its own checks do.
 */
export const controlErrorBodySchema = z.object({ error: z.string(), code: z.string().optional() });

export type ServiceAction = z.infer<typeof serviceActionSchema>;
export type RestartResult = z.infer<typeof restartResultSchema>;
export type StopResult = z.infer<typeof stopResultSchema>;
export type StartResult = z.infer<typeof startResultSchema>;
export type DownResult = z.infer<typeof downResultSchema>;
export type ControlErrorBody = z.infer<typeof controlErrorBodySchema>;
