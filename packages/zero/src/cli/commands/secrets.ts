import { replacePlaceholders } from "../../config/first-run.js";
import type { Output } from "../output.js";

/** `zero secrets generate` (make secrets): real random values for every CHANGE_ME placeholder in .env. */
export function secrets(out: Output, root: string, action: string | undefined): number {
  if (action !== "generate") {
    out.error("Usage: zero secrets generate");
    return 2;
  }
  const replaced = replacePlaceholders(root);
  out.line(
    replaced.length > 0
      ? `Generated new secrets in .env for: ${replaced.join(", ")}. A running stack keeps the old ones until \`make down && make dev\`, which applies them (also to an existing database).`
      : "No placeholders left in .env: nothing to generate (existing secrets are never changed).",
  );
  return 0;
}
