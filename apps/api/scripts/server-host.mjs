// A spare server process for the dev runner's next hot-reload restart (scripts/spare-server.mjs): Node has started,
// the pre-bundled npm packages are loaded and Fastify's code has run once (scripts/warm-up.mjs) before the edit, so
// the restart only runs the new server bundle.
// Waits for the runner's { type: "serve", entry, inspect, handover } (sent at once for a new server, at the next
// restart for a spare). inspect: the --inspect address. handover: the server it replaces is still stopping,
// so the new one loads and builds its app meanwhile and listens (and opens the debugger's address) only at the
// runner's { type: "port-free" }, once the old one has exited and freed both ports (scripts/port-handover.mjs).
// Answers { type: "started" } once the entry has finished its top-level start (src/server.ts: listening), so the
// runner can prepare the next spare.
// Usage (from apps/api, by the runner): node [options] scripts/server-host.mjs [--warm-up] [vendor folder]
// (--warm-up: a spare, which has time for it; not the first server of a `make dev`, which must not wait for it)
import { readFileSync } from "node:fs";
import { open } from "node:inspector";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { holdFirstListen } from "./port-handover.mjs";
import { keepVendorCodeCache } from "./vendor-load.mjs";
import { warmUp } from "./warm-up.mjs";

const warm = process.argv[2] === "--warm-up";
const vendorFolder = process.argv[warm ? 3 : 2];

// The same files, by the same URLs, that the server bundle imports (scripts/vendor.mjs): loaded once, here. Then,
// unless the bundle is already waiting (a restart right after the last one), the warm-up: ~30 ms less CPU for the
// restart's start (docs/performance.md, seventh round).
async function preloadVendor() {
  if (!vendorFolder) return;
  const files = JSON.parse(readFileSync(join(vendorFolder, "manifest.json"), "utf8"));
  const load = (name) => import(pathToFileURL(resolve(vendorFolder, files[name])).href);
  await Promise.all(Object.keys(files).map(load));
  if (warm && !served) await warmUp(load, () => !served).catch(() => {}); // only a slower restart
}

const nextMessage = (type) =>
  new Promise((resolve) => {
    const listener = (message) => {
      if (message?.type !== type) return;
      process.off("message", listener);
      resolve(message);
    };
    process.on("message", listener);
  });

// Listening before anything else: a message that came while no one listened would be lost.
const order = nextMessage("serve");
let served = false;
void order.then(() => (served = true));
const portFree = nextMessage("port-free");
// The runner gone while this process waits for it: nothing would ever hand it a bundle or a free port.
const leave = () => process.exit(0);
process.once("disconnect", leave);

async function run({ entry, inspect, handover }) {
  const openInspector = () => inspect && open(inspect.port, inspect.host);
  if (handover) {
    holdFirstListen(
      portFree.then(() => {
        process.off("disconnect", leave);
        openInspector();
      }),
    );
  } else {
    process.off("disconnect", leave);
    openInspector();
  }
  await import(pathToFileURL(resolve(entry)).href);
  process.send?.({ type: "started" });
  process.channel?.unref(); // from now on an ordinary server: its life does not hang on the runner's channel
  if (vendorFolder) keepVendorCodeCache(); // the first start after the bundle was built (or Node changed) only
}

await preloadVendor();
await run(await order);
