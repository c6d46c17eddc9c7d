import { connect } from "node:net";

/** One TCP conversation: what arrived so far, and a wait for more. */
export interface Conversation {
  send(bytes: Buffer | string): void;
  /** Bytes received and not yet taken. */
  readonly received: Buffer;
  take(count: number): Buffer;
  /** Resolves when more bytes arrive; rejects when the connection fails, closes or the signal aborts. */
  more(): Promise<void>;
}

/**
 * Opens a TCP connection, runs `talk` over it and closes it, however it ends. Errors keep their codes
 * (ECONNREFUSED tells a wait the service is not listening yet); an abort rejects with the signal's reason.
 */
export function converse<T>(
  host: string,
  port: number,
  signal: AbortSignal,
  talk: (conversation: Conversation) => Promise<T>,
): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  const socket = connect({ host, port });
  let received: Buffer = Buffer.alloc(0);
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const settle = () => {
    wake?.();
    wake = undefined;
  };
  const fail = (error: Error) => {
    failure ??= error;
    settle();
  };
  const onAbort = () => {
    fail(abortReason(signal));
    socket.destroy();
  };
  signal.addEventListener("abort", onAbort, { once: true });
  socket.on("data", (chunk: Buffer) => {
    received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
    settle();
  });
  socket.once("error", fail);
  // Closed before the conversation ended: a server starting or stopping (Docker's proxy accepts, then closes, until
  // the container listens): called a reset, which a wait reads as "service down".
  socket.once("close", () =>
    fail(Object.assign(new Error("the server closed the connection"), { code: "ECONNRESET" })),
  );
  const conversation: Conversation = {
    send: (bytes) => void socket.write(bytes),
    get received() {
      return received;
    },
    take(count) {
      const taken = received.subarray(0, count);
      received = received.subarray(count);
      return taken;
    },
    more: () =>
      failure
        ? Promise.reject(failure)
        : new Promise<void>((resolve, reject) => {
            wake = () => (failure ? reject(failure) : resolve());
          }),
  };
  return talk(conversation).finally(() => {
    signal.removeEventListener("abort", onAbort);
    socket.destroy();
  });
}

export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error("aborted");
}
