import { enableCompileCache, flushCompileCache } from "../../../processes/compile-cache.js";

// The supervisor's entry: the compile cache is on before its code loads (a dynamic import: static imports would be
// compiled before this line runs), and written once loaded, as the supervisor runs until `down`.
enableCompileCache();
await import("./run-supervisor.js");
flushCompileCache();
