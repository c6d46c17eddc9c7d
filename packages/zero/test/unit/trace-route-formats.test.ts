import { afterEach, describe, expect, it } from "vitest";
import { ControlApi } from "../../src/control/control-api.js";
import { LogHub } from "../../src/control/log-hub.js";
import { addTraceRoutes } from "../../src/control/trace-routes.js";

// The control API's OTLP receiver over a real loopback socket: JSON is read; protobuf (the default of many
// OpenTelemetry SDKs, OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf) is answered 415 with the setting that fixes it.
let api: ControlApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function post(contentType: string, body: string | ArrayBuffer) {
  api = new ControlApi();
  addTraceRoutes(api, new LogHub(), (text) => text);
  const port = await api.listen();
  const response = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
    method: "POST",
    headers: { "content-type": contentType, authorization: `Bearer ${api.tokenFor("read")}` },
    body,
  });
  return { status: response.status, body: (await response.json()) as { error?: string } };
}

describe("POST /v1/traces: OTLP/HTTP JSON only", () => {
  it("reads an OTLP JSON export", async () => {
    expect(await post("application/json", JSON.stringify({ resourceSpans: [] }))).toEqual({ status: 200, body: {} });
  });

  it("answers protobuf 415, naming OTEL_EXPORTER_OTLP_PROTOCOL=http/json", async () => {
    // The first bytes of an ExportTraceServiceRequest (field 1, resource_spans): what an http/protobuf exporter sends.
    const answer = await post("application/x-protobuf", new Uint8Array([0x0a, 0x00]).buffer);
    expect(answer.status).toBe(415);
    expect(answer.body.error).toContain("OTEL_EXPORTER_OTLP_PROTOCOL=http/json");
  });
});
