import { errorCodes, type ErrorCode } from "./codes.js";

const DOCS = "docs/troubleshooting.md";

export interface ZeroErrorOptions {
  /** Overrides the registry's generic reason when the specific one is known. */
  why?: string;
  /** Overrides the registry's generic next step when a precise one is known. */
  next?: string;
  /** Extra lines shown under the message (e.g. the last log lines). */
  details?: string[];
  cause?: unknown;
}

/** An error the user can act on: stable code, what / why / next step, docs link and exit code. */
export class ZeroError extends Error {
  readonly code: ErrorCode;
  readonly why: string;
  readonly next: string;
  readonly details: string[];
  readonly exitCode: number;
  readonly docs: string;

  constructor(code: ErrorCode, what: string, options: ZeroErrorOptions = {}) {
    super(what, { cause: options.cause });
    this.name = "ZeroError";
    this.code = code;
    this.why = options.why ?? errorCodes[code].why;
    this.next = options.next ?? errorCodes[code].next;
    this.details = options.details ?? [];
    this.exitCode = errorCodes[code].exitCode;
    this.docs = `${DOCS}#${code.toLowerCase()}`;
  }
}

/** Codes cross process and package boundaries where instanceof does not. */
export function isZeroError(error: unknown): error is ZeroError {
  return typeof error === "object" && error !== null && (error as { name?: string }).name === "ZeroError";
}

/** Plain data for IPC/JSON; rebuilt with fromJSON on the other side. */
export function toJSON(error: ZeroError) {
  return { code: error.code, what: error.message, why: error.why, next: error.next, details: error.details };
}

export function fromJSON(data: ReturnType<typeof toJSON>): ZeroError {
  return new ZeroError(data.code, data.what, { why: data.why, next: data.next, details: data.details });
}
