import { z } from "zod";
import { stackSchema } from "./schema.js";

/** The JSON Schema of stack.yaml, for editor autocompletion (referenced from its first line). */
export function stackJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(stackSchema, { io: "input", unrepresentable: "any" }),
    title: "Zero-to-Running stack definition",
    description: "One stack definition for every runtime. See docs/stack.md.",
  };
}
