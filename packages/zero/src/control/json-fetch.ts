import type { ControlFetch } from "@zero/contracts/control-client";
import { request } from "node:http";

/**
 * A fetch for the control API's plain JSON calls, over node:http. Node 20's global fetch loads undici on first use:
 * ~70 ms of CPU, more than Node's own start, for a loopback call of a few ms. `zero status` and `zero down` use this
 * one (createControlClient's `fetch`); its answers have no streamed body, so the followed streams keep the global one.
 * `sent` is called once the request is written: the client loads zod then, while the server works.
 */
export const jsonFetch: ControlFetch = (input, init, sent) =>
  new Promise((resolve, reject) => {
    const signal = init.signal ?? undefined;
    // The client's deadline (AbortSignal.timeout) rejects with its own reason, a TimeoutError, as fetch does.
    const fail = (error: unknown) => reject(signal?.aborted ? signal.reason : error);
    const call = request(
      new URL(String(input)),
      { method: init.method ?? "GET", headers: init.headers as Record<string, string>, signal, agent: false },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("error", fail);
        answer.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = answer.statusCode ?? 0;
          resolve({
            ok: status >= 200 && status < 300,
            status,
            statusText: answer.statusMessage ?? "",
            json: async () => JSON.parse(text),
            text: async () => text,
            body: null,
          } as unknown as Response);
        });
      },
    );
    call.on("error", fail);
    if (sent) call.once("finish", sent);
    call.end();
  });
