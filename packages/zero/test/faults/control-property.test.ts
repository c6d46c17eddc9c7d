import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scopedToken } from "../../src/control/token-scopes.js";
import { waitFor } from "../helpers/cli.js";
import { faultStack } from "./fault-stack.js";

// Property: whatever mix of restart, stop and start of services arrives at once from several clients (the CLI, the
// control API called directly with the CLI's token, the dashboard's control proxy), and whenever `down` comes, no
// service ever runs twice, every action is answered within a bound, the record matches what runs once all are
// answered, and `down` leaves no process and no port. A real native stack (the fixture's Node app and Redis).
//
// Fixed seed and few runs so that `make test` stays quick; a larger run for local use (docs/reliability.md):
//   ZERO_PROPERTY_RUNS=30 ZERO_PROPERTY_SEED=$RANDOM npx vitest run packages/zero/test/faults/control-property.test.ts

const RUNS = Number(process.env.ZERO_PROPERTY_RUNS ?? 2);
const SEED = Number(process.env.ZERO_PROPERTY_SEED ?? 2202);
/** No action may take longer than this to be answered (a hang, not slowness: restarts take about a second). */
const ANSWER_BOUND_MS = 60_000;

const SERVICES = ["app", "redis"] as const;
type ServiceName = (typeof SERVICES)[number];
type Client = "cli" | "api" | "dashboard";
interface Action {
  client: Client;
  action: "restart" | "stop" | "start";
  service: ServiceName;
}
interface Down {
  client: "cli" | "api";
  /** Sent together with the last batch's actions rather than after they were answered. */
  duringLastBatch: boolean;
}
/** What a client got back: an HTTP status, a CLI exit code, a connection that failed, or nothing within the bound. */
type Answer =
  | { kind: "http"; status: number; body: string }
  | { kind: "exit"; code: number; output: string }
  | { kind: "unreachable"; error: string }
  | { kind: "no answer" };

const action = fc.record<Action>({
  client: fc.constantFrom("cli", "api", "dashboard"),
  action: fc.constantFrom("restart", "stop", "start"),
  service: fc.constantFrom(...SERVICES),
});
const scenario = fc.record({
  batches: fc.array(fc.array(action, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
  down: fc.record<Down>({ client: fc.constantFrom("cli", "api"), duringLastBatch: fc.boolean() }),
});

describe.sequential("faults: random concurrent control actions from several clients", { timeout: 600_000 }, () => {
  let stack: Awaited<ReturnType<typeof faultStack>>;
  let dashboard: Awaited<ReturnType<typeof dashboardProxy>>;
  beforeAll(async () => {
    stack = await faultStack("control");
    dashboard = await dashboardProxy();
  });
  afterAll(async () => {
    await dashboard?.close();
    await stack?.cleanUp();
  });

  /** Live pids of each service's own program, found in /proc (by the stack's ZERO_HOME and the command line). */
  const running = (): Record<ServiceName, number[]> => {
    const found: Record<ServiceName, number[]> = { app: [], redis: [] };
    for (const pid of stack.processes()) {
      const command = commandLine(pid);
      if (command.includes("app.mjs")) found.app.push(pid);
      else if (/^\S*redis-server\b/.test(command)) found.redis.push(pid);
    }
    return found;
  };

  const control = () => stack.state().supervisor;
  const send = async (client: Client, path: string): Promise<Answer> => {
    const { controlPort, token } = control();
    const [url, headers] =
      client === "dashboard"
        ? [`${dashboard.url}${path}`, { [dashboard.tokenHeader]: dashboard.pageToken }]
        : [`http://127.0.0.1:${controlPort}${path}`, { authorization: `Bearer ${token}` }];
    try {
      const response = await fetch(url, { method: "POST", headers, signal: AbortSignal.timeout(ANSWER_BOUND_MS) });
      return { kind: "http", status: response.status, body: await response.text() };
    } catch (error) {
      if ((error as Error).name === "TimeoutError") return { kind: "no answer" };
      return { kind: "unreachable", error: String((error as Error).cause ?? error) };
    }
  };
  const cli = async (...args: string[]): Promise<Answer> => {
    const run = stack.zero(...args);
    const timer = setTimeout(() => run.kill("SIGKILL"), ANSWER_BOUND_MS);
    const result = await run.finally(() => clearTimeout(timer));
    if (result.signal === "SIGKILL") return { kind: "no answer" };
    return { kind: "exit", code: result.exitCode ?? -1, output: result.all ?? "" };
  };
  const perform = ({ client, action, service }: Action): Promise<Answer> =>
    client === "cli" ? cli(action, service) : send(client, `/v1/services/${service}/${action}`);
  const goDown = (down: Down): Promise<Answer> => (down.client === "cli" ? cli("down") : send("api", "/v1/down"));

  it("guarantee: random restarts, stops and starts from the CLI, the control API and the dashboard at once, then make down: never two processes of one service, every action answered, nothing left", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ batches, down }) => {
        const up = await stack.zero("up");
        expect(up.exitCode, up.all).toBe(0);
        dashboard.point(control());
        // Watched all along, not only between batches: a second process may live for a moment only.
        const twice: string[] = [];
        const watch = setInterval(() => {
          for (const [service, pids] of Object.entries(running()))
            if (pids.length > 1) twice.push(`${service}: pids ${pids.join(", ")}`);
        }, 50);
        try {
          let expected: Record<string, string> = { app: "running", redis: "running" };
          for (const [index, batch] of batches.entries()) {
            const last = index === batches.length - 1;
            const downNow = last && down.duringLastBatch;
            const answers = await Promise.all([...batch.map(perform), ...(downNow ? [goDown(down)] : [])]);
            const actions: Array<Action | "down"> = [...batch, ...(downNow ? ["down" as const] : [])];
            actions.forEach((sent, i) => {
              expect(
                acceptable(answers[i]!, { downInFlight: downNow, isDown: sent === "down" }),
                report(sent, answers[i]!),
              ).toBe(true);
            });
            if (downNow) break;
            expected = await settledAsExpected(batch, expected);
          }
          if (!down.duringLastBatch) {
            const answer = await goDown(down);
            expect(acceptable(answer, { downInFlight: true, isDown: true }), report("down", answer)).toBe(true);
          }
          // The API's down answers, then the supervisor exits: give it a moment, bounded.
          await waitFor(() => stack.processes().length === 0, 20_000, "no process of the stack after down").catch(() =>
            expect(stack.processes().map(commandLine), "processes left after down").toEqual([]),
          );
          expect(await stack.portsFree(), "ports free after down").toBe(true);
        } finally {
          clearInterval(watch);
          // A failed run must not leave the next one (or the machine) a running stack, recorded or not.
          await stack.zero("down");
          for (const pid of stack.processes()) process.kill(pid, "SIGKILL");
        }
        expect(twice, "a service ran twice").toEqual([]);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: RUNS <= 5 }, // shrinking restarts stacks: only in a long local run
    );

    /**
     * Once every action of a batch is answered, each service is running (one process, the record's, holding its
     * port) or stopped (none), as the last of its actions that ran left it (any order of arrival is allowed).
     */
    async function settledAsExpected(batch: Action[], before: Record<string, string>): Promise<Record<string, string>> {
      const { controlPort, token } = control();
      const status = (await (
        await fetch(`http://127.0.0.1:${controlPort}/v1/status`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as { services: Record<string, { state: string; pid: number; ports: Record<string, number> }> };
      const now = running();
      const after: Record<string, string> = {};
      for (const service of SERVICES) {
        const record = status.services[service]!;
        const outcomes = batch
          .filter((sent) => sent.service === service)
          .map((sent) => (sent.action === "stop" ? "stopped" : "running"));
        const possible = outcomes.length > 0 ? outcomes : [before[service]!];
        const what = `${service} after ${JSON.stringify(batch)}: record ${record.state} pid ${record.pid}, processes ${now[service]}`;
        expect(possible, what).toContain(record.state);
        expect(now[service], what).toEqual(record.state === "running" ? [record.pid] : []);
        for (const port of Object.values(record.ports))
          expect(listeners(port), `${what}, port ${port}`).toEqual(record.state === "running" ? [record.pid] : []);
        after[service] = record.state;
      }
      return after;
    }
  });
});

/**
 * Whether an answer is one a client may get. Without a `down` in flight: only success. With one: an action may also
 * be refused because the stack is going down (409, a typed CLI error) or find the control API gone; never a hang,
 * never a 5xx from the control API itself.
 */
function acceptable(answer: Answer, { downInFlight, isDown }: { downInFlight: boolean; isDown: boolean }): boolean {
  if (answer.kind === "no answer") return false;
  if (answer.kind === "http" && answer.status === 200) return true;
  if (answer.kind === "exit" && answer.code === 0) return true;
  if (!downInFlight || isDown) return false;
  if (answer.kind === "http")
    return answer.status === 409 || (answer.status === 502 && /unreachable/.test(answer.body));
  if (answer.kind === "exit") return /ZERO_[A-Z_]+/.test(answer.output);
  return /ECONNREFUSED|ECONNRESET|other side closed/.test(answer.error);
}

function report(sent: Action | "down", answer: Answer): string {
  return `${typeof sent === "string" ? sent : `${sent.client} ${sent.action} ${sent.service}`} answered ${JSON.stringify(answer).slice(0, 600)}`;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

/** Pids that hold a listening TCP socket on `port` (from /proc/net/tcp{,6} and every process's descriptors). */
function listeners(port: number): number[] {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const row of readFileSync(table, "utf8").trim().split("\n").slice(1)) {
      const fields = row.trim().split(/\s+/);
      const localPort = Number.parseInt(fields[1]!.split(":")[1]!, 16);
      if (localPort === port && fields[3] === "0A") inodes.add(fields[9]!); // 0A: LISTEN
    }
  }
  const holders = new Set<number>();
  if (inodes.size === 0) return [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      for (const fd of readdirSync(`/proc/${name}/fd`)) {
        const target = readlinkSync(`/proc/${name}/fd/${fd}`);
        if (target.startsWith("socket:[") && inodes.has(target.slice(8, -1))) holders.add(Number(name));
      }
    } catch {
      // exited meanwhile
    }
  }
  return [...holders].sort((a, b) => a - b);
}

/**
 * The dashboard's control proxy (apps/web/server/control-proxy.ts), mounted on a plain HTTP server as Vite mounts it
 * (connect strips the mount path), pointed at the supervisor of the moment with the token the supervisor gives the
 * dashboard (act scope). Loaded by path: the web app's sources resolve as a bundler does, not as this package does.
 */
async function dashboardProxy() {
  const proxyModule = new URL("../../../../apps/web/server/control-proxy.ts", import.meta.url).href;
  const pathModule = new URL("../../../../apps/web/src/lib/control-path.ts", import.meta.url).href;
  type Middleware = (request: IncomingMessage, response: ServerResponse) => void;
  type Plugin = { configureServer(server: { middlewares: { use(path: string, handler: Middleware): void } }): void };
  const { controlProxy, pageToken } = (await import(proxyModule)) as {
    controlProxy(env: NodeJS.ProcessEnv): Plugin;
    pageToken(token: string): string;
  };
  const { CONTROL_PATH, TOKEN_HEADER } = (await import(pathModule)) as { CONTROL_PATH: string; TOKEN_HEADER: string };
  let handler: Middleware | undefined;
  const proxy = {
    pageToken: "",
    tokenHeader: TOKEN_HEADER,
    url: "",
    point({ controlPort, token }: { controlPort: number; token: string }) {
      const dashboardToken = scopedToken(token, "act");
      controlProxy({
        ZERO_CONTROL_URL: `http://127.0.0.1:${controlPort}`,
        ZERO_CONTROL_TOKEN: dashboardToken,
      }).configureServer({
        middlewares: { use: (_path, middleware) => (handler = middleware) },
      });
      proxy.pageToken = pageToken(dashboardToken);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = createServer((request, response) => {
    request.url = request.url!.slice(CONTROL_PATH.length) || "/";
    handler!(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${CONTROL_PATH}`;
  return proxy;
}
