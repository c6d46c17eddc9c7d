// Preloaded into the dev runner by a test (node --import): a file system that sends no change events, as some
// container mounts do. fs.watch fails as it does there; the runner must find an edit by itself.
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

fs.watch = () => {
  throw Object.assign(new Error("no file events on this file system (test)"), { code: "ENOSYS" });
};
syncBuiltinESMExports(); // the runner's `import { watch } from "node:fs"` sees it too
