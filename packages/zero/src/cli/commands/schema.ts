import { writeFileSync } from "node:fs";
import { stackJsonSchema } from "../../stack/json-schema.js";
import type { Output } from "../output.js";

/** `zero schema [file]`: print the stack.yaml JSON Schema, or write it to a file. */
export function schema(out: Output, file?: string): number {
  const text = `${JSON.stringify(stackJsonSchema(), null, 2)}\n`;
  if (file) writeFileSync(file, text);
  else out.line(text.trimEnd());
  return 0;
}
