import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { pollUntil } from "./support/poll.js";

const API_DIR = fileURLToPath(new URL("..", import.meta.url));
const FIXTURE = fileURLToPath(new URL("./support/listen-fixture.mjs", import.meta.url));

describe("a hot-reload restart's port handover (scripts/server-host.mjs, scripts/port-handover.mjs)", () => {
  it("runs the new server while the old one holds the port, and listens once told the port is free", async () => {
    // The old server, still holding the port.
    const old = createServer((_request, response) => response.end("old"));
    old.listen(0);
    await once(old, "listening");
    const port = (old.address() as AddressInfo).port;
    onTestFinished(() => void old.close());

    const host = spawn(process.execPath, ["scripts/server-host.mjs"], {
      cwd: API_DIR,
      env: { ...process.env, FIXTURE_PORT: String(port) },
      stdio: ["ignore", "pipe", "inherit", "ipc"],
    });
    onTestFinished(() => void host.kill("SIGKILL"));
    let output = "";
    host.stdout!.on("data", (chunk) => (output += chunk));
    const started = new Promise((resolve) =>
      host.on("message", (m: { type?: string }) => m.type === "started" && resolve(m)),
    );
    const exited = once(host, "exit");

    host.send({ type: "serve", entry: FIXTURE, handover: true });
    // Its listen was asked for while the port was taken: held, not failed (a failed listen ends the process).
    await pollUntil(
      async () => output,
      (text) => text.includes("listen called"),
      { intervalMs: 20 },
    );
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("old");

    old.close();
    old.closeAllConnections();
    await once(old, "close");
    host.send({ type: "port-free" });
    await Promise.race([started, exited.then(([code]) => Promise.reject(new Error(`the host exited (${code})`)))]);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("new");
  });
});
