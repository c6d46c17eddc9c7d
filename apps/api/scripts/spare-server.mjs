// The dev runner's spare server process (scripts/server-host.mjs): from the first saved file on, the runner keeps one
// that loads Node and the pre-bundled npm packages while the developer edits; the next restart hands it the new
// bundle instead of starting a process from nothing (~60 % of a restart's time, docs/performance.md). None before
// the first save: a stack nobody edits pays no memory for it. Not with --inspect-brk (it must stop on the first line).
import { spawn } from "node:child_process";

/** The --inspect address among the server's Node options: [options without it, { host, port }], or undefined. */
export function splitInspect(nodeOptions) {
  if (nodeOptions.some((option) => option.startsWith("--inspect-brk"))) return undefined;
  const index = nodeOptions.findIndex((option) => /^--inspect(=|$)/.test(option));
  if (index === -1) return [nodeOptions, undefined];
  const address = nodeOptions[index].split("=")[1] ?? "9229";
  const [host, port] = address.includes(":") ? address.split(/:(?=\d+$)/) : ["127.0.0.1", address];
  return [nodeOptions.filter((_, i) => i !== index), { host: host.replace(/^\[(.*)\]$/, "$1"), port: Number(port) }];
}

/**
 * Starts a spare: `nodeOptions` without --inspect, `env` as a server's. `take(entry, inspect)` turns it into the
 * server (its ChildProcess), or returns undefined when it died meanwhile; `stop()` ends an untaken one.
 */
export function startServerHost({ nodeOptions, env, vendorFolder }) {
  const child = spawn(
    process.execPath,
    [...nodeOptions, "scripts/server-host.mjs", ...(vendorFolder ? [vendorFolder] : [])],
    {
      stdio: ["inherit", "inherit", "inherit", "ipc"],
      env,
    },
  );
  child.on("error", () => {}); // a spare that cannot start is only a slower next restart
  let taken = false;
  return {
    take(entry, inspect) {
      if (child.exitCode !== null || child.signalCode !== null || !child.connected) return undefined;
      taken = true;
      child.send({ entry, inspect });
      return child;
    },
    stop() {
      if (!taken) child.kill();
    },
  };
}
