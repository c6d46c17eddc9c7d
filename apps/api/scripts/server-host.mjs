// A spare server process for the dev runner's next hot-reload restart (scripts/spare-server.mjs): Node has started
// and the pre-bundled npm packages are loaded before the edit, so the restart only runs the new server bundle.
// Waits for the runner's { type: "serve", entry, inspect, handover } (sent at once for a new server, at the next
// restart for a spare). inspect: the --inspect address. handover: the server it replaces is still stopping,
// so the new one loads and builds its app meanwhile and listens (and opens the debugger's address) only at the
// runner's { type: "port-free" }, once the old one has exited and freed both ports (scripts/port-handover.mjs).
// Answers { type: "started" } once the entry has finished its top-level start (src/server.ts: listening), so the
// runner can prepare the next spare.
// Usage (from apps/api, by the runner): node [options] scripts/server-host.mjs [vendor folder]
import { readFileSync } from "node:fs";
import { open } from "node:inspector";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { holdFirstListen } from "./port-handover.mjs";
import { keepVendorCodeCache } from "./vendor-load.mjs";

const vendorFolder = process.argv[2];

// The same files, by the same URLs, that the server bundle imports (scripts/vendor.mjs): loaded once, here.
async function preloadVendor() {
  if (!vendorFolder) return;
  const files = JSON.parse(readFileSync(join(vendorFolder, "manifest.json"), "utf8"));
  await Promise.all(Object.values(files).map((file) => import(pathToFileURL(resolve(vendorFolder, file)).href)));
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
