import { createInterface } from "node:readline/promises";
import { ZeroError } from "../errors/zero-error.js";

/**
 * Asks before something destructive. In a terminal the user types "yes"; anywhere else (CI, scripts, pipes)
 * nothing is asked and `--yes` must be given, so a script can never wipe data by accident.
 */
export async function confirm(question: string, options: { yes?: boolean; flag: string }): Promise<void> {
  if (options.yes) return;
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new ZeroError("ZERO_CONFIRMATION_REQUIRED", `${question} Not without a confirmation; nothing was changed.`, {
      next: `There is no terminal to ask in: add ${options.flag} to confirm.`,
    });
  }
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await prompt.question(`${question} Type "yes" to continue: `);
    if (answer.trim().toLowerCase() !== "yes") {
      throw new ZeroError("ZERO_CONFIRMATION_REQUIRED", "Cancelled; nothing was changed.", { next: "Run the command again and answer yes." });
    }
  } finally {
    prompt.close();
  }
}
