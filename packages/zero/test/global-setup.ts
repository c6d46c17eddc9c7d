import { execFileSync } from "node:child_process";
import { zeroBin } from "./helpers/cli.js";

/** Builds the CLI once, before any test file starts zero processes in parallel (bin/zero.js rebuilds a stale bundle). */
export default function setup() {
  execFileSync(process.execPath, [zeroBin, "help"], { stdio: "ignore" });
}
