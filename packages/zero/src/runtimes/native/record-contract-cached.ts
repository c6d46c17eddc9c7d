import { fileURLToPath } from "node:url";
import { requireWithCodeCache } from "../../processes/code-cache.js";
import type * as RecordContract from "./record-contract.js";

// What dist/record.cjs's lazy imports of the schemas and the state file's validation load (build.mjs sends them
// here): dist/record-contract.cjs, beside it, with the code V8 compiled for it on an earlier run (Node 20 has no
// compile cache). Only in the bundle: import.meta.url is then dist/record.cjs's.
const contract = requireWithCodeCache(
  fileURLToPath(new URL("./record-contract.cjs", import.meta.url)),
) as unknown as typeof RecordContract;

export const { controlEndpoints, controlErrorBodySchema, parseState } = contract;
