import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ZeroError } from "../errors/zero-error.js";

/** The nearest folder upwards that has a stack.yaml. */
export function findRoot(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "stack.yaml"))) return dir;
    if (dirname(dir) === dir) {
      throw new ZeroError("ZERO_STACK_INVALID", `No stack.yaml in ${cwd} or any folder above it.`, {
        why: "zero runs the stack defined in stack.yaml at the project root.",
        next: "cd into the project (the folder with stack.yaml and the Makefile) and run the command again.",
      });
    }
  }
}
