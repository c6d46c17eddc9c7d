// Injected by build.mjs into its CommonJS bundles (never run as a module of its own): the bundle file's URL, which
// the bundled code reads as import.meta.url.
export const __zeroFileUrl = require("node:url").pathToFileURL(__filename).href;
