import * as z from "zod";

// What dist/record.cjs loads only on demand, bundled apart as dist/record-contract.cjs (build.mjs sends the lazy
// imports of these modules there): zod and the control API's schemas, which Node then compiles only when a call is
// made, once its request has left, instead of with the rest of `zero status` and `zero down` before it. The schemas
// import zod as a namespace (`import * as z`), so the bundle keeps only the parts of zod they use: ~200 KB, not ~400.
export { controlEndpoints, controlErrorBodySchema } from "@zero/contracts/control";
export { parseState } from "./supervisor/state-reader.js";

// One answer is parsed per command: zod's compiled fast path (built on the first parse) would never pay back.
z.config({ jitless: true });
