// Under compose the control API is a Unix socket (/run/zero/control.sock, docs/decisions/0015-compose-control-server.md)
// and the OTLP/HTTP exporter posts to URLs only. This exporter sends the same OTLP JSON (the exporter's own
// serializer) to POST /v1/traces over the socket, with the token read from its file at each export (as
// packages/contracts/src/control-endpoint.ts does; that TypeScript is not importable from this plain folder).
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";

// @opentelemetry/core's ExportResultCode, without another dependency for two numbers.
const SUCCESS = 0;
const FAILED = 1;
const TIMEOUT_MS = 10_000;

export class SocketTraceExporter {
  #socketPath;
  #tokenFile;
  #pending = new Set();

  constructor(socketPath, tokenFile) {
    this.#socketPath = socketPath;
    this.#tokenFile = tokenFile;
  }

  export(spans, done) {
    const body = JsonTraceSerializer.serializeRequest(spans);
    if (!body) return done({ code: FAILED, error: new Error("the spans could not be serialised") });
    const sent = this.#post(body).then(
      () => done({ code: SUCCESS }),
      (error) => done({ code: FAILED, error }),
    );
    this.#pending.add(sent);
    sent.finally(() => this.#pending.delete(sent));
  }

  async forceFlush() {
    await Promise.allSettled(this.#pending);
  }

  async shutdown() {
    await this.forceFlush();
  }

  #post(body) {
    return new Promise((resolve, reject) => {
      const call = request(
        {
          socketPath: this.#socketPath,
          method: "POST",
          path: "/v1/traces",
          timeout: TIMEOUT_MS,
          headers: {
            host: "localhost",
            "content-type": "application/json",
            "content-length": body.length,
            authorization: `Bearer ${readFileSync(this.#tokenFile, "utf8").trim()}`,
          },
        },
        (answer) => {
          answer.resume();
          answer.once("end", () =>
            answer.statusCode < 300 ? resolve() : reject(new Error(`the control API answered ${answer.statusCode}`)),
          );
        },
      );
      call.once("error", reject);
      call.once("timeout", () => call.destroy(new Error(`no answer from the control API in ${TIMEOUT_MS} ms`)));
      call.end(body);
    });
  }
}
