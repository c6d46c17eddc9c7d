// What dist/record.js loads only on demand, bundled apart as dist/record-contract.js (build.mjs sends the lazy
// imports of these modules there): zod and the control API's schemas, ~430 KB that Node then compiles only when a
// call is made, once its request has left, instead of with the rest of `zero status` and `zero down` before it.
export { controlEndpoints, controlErrorBodySchema } from "@zero/contracts/control";
export { parseState } from "./supervisor/state-reader.js";
