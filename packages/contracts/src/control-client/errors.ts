/**
 * Why a control API call failed, as a stable code (callers branch on the code, never on `instanceof` across
 * packages): nothing listens (unreachable), no answer in time (timeout), an error status (refused: `status` and the
 * server's own `error` text kept in the message), or an answer that does not match the contract (invalid).
 */
export type ControlFailure = "CONTROL_UNREACHABLE" | "CONTROL_TIMEOUT" | "CONTROL_REFUSED" | "CONTROL_INVALID_ANSWER";

export class ControlApiError extends Error {
  /** A refused call's reason as the server's stable code (e.g. ZERO_PORT_IN_USE), when it sent one. */
  readonly serverCode?: string;

  constructor(
    readonly code: ControlFailure,
    message: string,
    /** The HTTP status of a refused call. */
    readonly status?: number,
    options?: { cause?: unknown; serverCode?: string },
  ) {
    super(message, options);
    this.serverCode = options?.serverCode;
    this.name = "ControlApiError";
  }
}

export function isControlApiError(error: unknown): error is ControlApiError {
  return (
    error instanceof Error && error.name === "ControlApiError" && typeof (error as ControlApiError).code === "string"
  );
}

/** A fetch failure as a ControlApiError: the timeout apart from "nothing listens". */
export function failedCall(what: string, error: unknown): ControlApiError {
  if (isControlApiError(error)) return error;
  const name = (error as Error)?.name;
  if (name === "TimeoutError")
    return new ControlApiError("CONTROL_TIMEOUT", `${what}: no answer in time`, undefined, { cause: error });
  const reason = ((error as Error)?.cause as Error | undefined)?.message ?? (error as Error)?.message ?? String(error);
  return new ControlApiError("CONTROL_UNREACHABLE", `${what}: ${reason}`, undefined, { cause: error });
}
