import { type ControlClient, isControlApiError } from "@zero/contracts/control-client";
import { errorCodes, type ErrorCode } from "../errors/codes.js";
import { ZeroError } from "../errors/zero-error.js";

/**
 * `zero restart|stop|start` through a control API (the native supervisor's or the compose control server's). A refusal
 * the server named with a stable code (a port another program took: ZERO_PORT_IN_USE, its holder in the words) becomes
 * that ZeroError, so the user sees the code and exit the start-up check gives, not an internal error.
 */
export async function actOnService(
  client: ControlClient,
  service: string,
  action: "restart" | "stop" | "start",
  timeoutMs: number,
): Promise<{ joined?: boolean }> {
  try {
    const { joined } = await client.act(service, action, { timeoutMs });
    return { joined };
  } catch (error) {
    const code = isControlApiError(error) ? error.serverCode : undefined;
    if (!code || !(code in errorCodes)) throw error;
    // The server's own words, without the transport's prefix ("control API POST /v1/...: HTTP 409 ").
    const reason = (error as Error).message.replace(/^control API [^:]*: HTTP \d+ /, "");
    throw new ZeroError(code as ErrorCode, `Cannot ${action} ${service}: ${reason}`, { cause: error });
  }
}
