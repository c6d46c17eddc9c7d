import { get } from "node:http";
import { connect } from "node:net";
import type { Service } from "../stack/schema.js";
import { connectionUrl } from "../stack/connection.js";
import { abortReason } from "./connection.js";
import { pingRedis } from "./redis-check.js";

/**
 * One readiness attempt: resolves when healthy, rejects with the reason otherwise. `nudges`, when its service can
 * tell: subscribes to moments an attempt may pass sooner than the next interval (the service printed a line, often
 * "listening"), and returns the unsubscribe.
 */
export type Probe = ((signal: AbortSignal) => Promise<void>) & { readonly nudges?: (nudge: () => void) => () => void };

/** A TCP connection can be opened. */
export function tcpProbe(host: string, port: number): Probe {
  return (signal) =>
    new Promise<void>((resolve, reject) => {
      const socket = connect({ host, port });
      const fail = (error: Error) => {
        socket.destroy();
        reject(error);
      };
      const onAbort = () => fail(abortReason(signal));
      signal.addEventListener("abort", onAbort, { once: true });
      socket.once("connect", () => {
        socket.end();
        resolve();
      });
      socket.once("error", fail);
      socket.once("close", () => signal.removeEventListener("abort", onAbort));
    });
}

/**
 * An HTTP GET answers 2xx or 3xx. node:http rather than fetch: the supervisor probes every few seconds for as
 * long as the stack runs, and fetch's undici costs it ~17 MB of memory (measured) for no gain here.
 */
export function httpProbe(url: string): Probe {
  return (signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(abortReason(signal));
      const request = get(url, (response) => {
        response.resume(); // drain, so the socket is freed
        const status = response.statusCode ?? 0;
        if (status >= 400) reject(new Error(`HTTP ${status} from ${url}`));
        else resolve();
      });
      const onAbort = () => {
        request.destroy();
        reject(abortReason(signal)); // the timeout itself, not http's generic AbortError
      };
      signal.addEventListener("abort", onAbort, { once: true });
      request.once("error", reject);
      request.once("close", () => signal.removeEventListener("abort", onAbort));
    });
}

/**
 * A real query: the server accepts our role and password and answers `select 1`. With pg, zero's one PostgreSQL
 * client: the supervisor loads it anyway while PostgreSQL starts (its start-up migrations, src/database/startup.ts).
 */
export function postgresProbe(url: string): Probe {
  return async (signal) => {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    client.on("error", () => {});
    // end() once, never awaited: pg's end() never resolves when called twice or after a failed connect
    // (node-postgres #2716, #2923), and an attempt aborted under load used to hang `zero up` forever that way.
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      client.end().catch(() => {});
    };
    signal.addEventListener("abort", end, { once: true });
    try {
      await client.connect();
      await client.query("select 1");
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      throw closedEarly(error) ? Object.assign(new Error("the server closed the connection"), { code: "ECONNRESET" }) : error;
    } finally {
      signal.removeEventListener("abort", end);
      end();
    }
    if (signal.aborted) throw abortReason(signal);
  };
}

/** pg's words for a server that closed the connection before answering (Docker's proxy while a container starts). */
function closedEarly(error: unknown): boolean {
  return error instanceof Error && !("code" in error) && /Connection terminated/.test(error.message);
}

/** PING with the password: the server is up and accepts our credentials. */
export function redisProbe(url: string): Probe {
  return (signal) => pingRedis(url, signal);
}

/** A command exits 0. */
export function commandProbe(command: string[], cwd: string): Probe {
  return async (signal) => {
    try {
      // A hung probe is killed at its timeout (SIGKILL: a probe has nothing to clean up, and must not pile up).
      const { execa } = await import("execa"); // loaded by the first command probe: the supervisor starts without it
      await execa(command[0]!, command.slice(1), { cwd, cancelSignal: signal, stdio: "ignore", killSignal: "SIGKILL" });
    } catch (error) {
      throw signal.aborted ? abortReason(signal) : error; // "timed out", not execa's "Command was canceled"
    }
  };
}

/** The probe described by a service's healthcheck, or undefined when it has none. */
export function probeFor(service: Service, root: string, host = "127.0.0.1"): Probe | undefined {
  const check = service.healthcheck;
  if (!check) return undefined;
  switch (check.type) {
    case "http":
      return httpProbe(`http://${host}:${service.ports[check.port]}${check.path}`);
    case "tcp":
      return tcpProbe(host, service.ports[check.port]!);
    case "postgres":
      return postgresProbe(connectionUrl(service, host)!);
    case "redis":
      return redisProbe(connectionUrl(service, host)!);
    case "command":
      return commandProbe(check.command, root);
  }
}

/**
 * One attempt of a probe, settled by its signal at the latest: a probe whose client ignores the abort (a library
 * that never settles) fails with the timeout instead of hanging whoever waits on it.
 */
export function runAttempt(probe: Probe, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    probe(signal)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener("abort", onAbort));
  });
}
