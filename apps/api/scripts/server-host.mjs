// A spare server process for the dev runner's next hot-reload restart (scripts/spare-server.mjs): Node has started
// and the pre-bundled npm packages are loaded before the edit, so the restart only runs the new server bundle.
// Waits for one message from the runner (sent at once for a new server, at the next restart for a spare): { entry, inspect } (inspect: the --inspect address, opened only now, since
// the server it replaces holds that port until it exits). Answers { type: "started" } once the entry has finished
// its top-level start (src/server.ts: listening), so the runner can prepare the next spare.
// Usage (from apps/api, by the runner): node [options] scripts/server-host.mjs [vendor folder]
import { readFileSync } from "node:fs";
import { open } from "node:inspector";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { keepVendorCodeCache } from "./vendor-load.mjs";

const vendorFolder = process.argv[2];

// The same files, by the same URLs, that the server bundle imports (scripts/vendor.mjs): loaded once, here.
async function preloadVendor() {
  if (!vendorFolder) return;
  const files = JSON.parse(readFileSync(join(vendorFolder, "manifest.json"), "utf8"));
  await Promise.all(Object.values(files).map((file) => import(pathToFileURL(resolve(vendorFolder, file)).href)));
}

async function run({ entry, inspect }) {
  if (inspect) open(inspect.port, inspect.host);
  await import(pathToFileURL(resolve(entry)).href);
  process.send?.({ type: "started" });
  process.channel?.unref(); // from now on an ordinary server: its life does not hang on the runner's channel
  if (vendorFolder) keepVendorCodeCache(); // the first start after the bundle was built (or Node changed) only
}

// Listening before anything else: a message that came while no one listened would be lost.
const order = new Promise((resolve) => process.once("message", resolve));
const leave = () => process.exit(0); // the runner is gone before it needed this spare
process.once("disconnect", leave);
await preloadVendor();
const message = await order;
process.off("disconnect", leave);
await run(message);
