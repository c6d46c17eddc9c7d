import { shownSafely } from "@zero/contracts/log-line";
import pc from "picocolors";
import type { ZeroError } from "../errors/zero-error.js";
import type { StackEvent } from "../orchestrate/events.js";

/** Where the CLI prints; everything passes the secret mask on the way out. */
export interface Output {
  line(text?: string): void;
  error(text: string): void;
}

export function createOutput(mask: (text: string) => string = (text) => text): Output {
  return {
    line: (text = "") => process.stdout.write(`${mask(text)}\n`),
    error: (text) => process.stderr.write(`${mask(text)}\n`),
  };
}

/** Text that may quote a service's own output (a failure's reason, a start-up step's note): shown, never obeyed. */
const quoted = (text: string) => text.split("\n").map(shownSafely).join("\n");

/** Prints one line per start-up event; repeated "waiting" lines are throttled to one a second per service. */
export function createEventPrinter(out: Output, width = 9): (event: StackEvent) => void {
  const lastWaiting = new Map<string, number>();
  const label = (service: string) => pc.bold(service.padEnd(width));
  return (event) => {
    switch (event.type) {
      case "starting":
        return out.line(`  ${label(event.service)} ${pc.dim("starting")}`);
      case "spawned":
        return out.line(`  ${label(event.service)} ${pc.dim("spawned early, waiting for its dependencies")}`);
      case "waiting": {
        const now = Date.now();
        if (now - (lastWaiting.get(event.service) ?? 0) < 1000) return;
        lastWaiting.set(event.service, now);
        return out.line(`  ${label(event.service)} ${pc.yellow("waiting")} for ${event.on} (${event.condition}): ${quoted(event.reason)}, attempt ${event.attempt}`);
      }
      case "started":
        return out.line(`  ${label(event.service)} ${pc.green("started")} in ${event.ms} ms`);
      case "healthy":
        return out.line(`  ${label(event.service)} ${pc.green("healthy")} in ${event.ms} ms`);
      case "failed":
        return out.line(`  ${label(event.service)} ${pc.red("FAILED")} (${event.phase}): ${quoted(event.reason)}`);
      case "restarting":
        return out.line(`  ${label(event.service)} ${pc.yellow("restarting")} in ${event.delayMs} ms (${quoted(event.reason)})`);
      case "stopping":
        return;
      case "stopped":
        return out.line(`  ${label(event.service)} ${pc.dim("stopped")} in ${event.ms} ms`);
      case "note":
        return out.line(`  ${pc.cyan("note")}      ${quoted(event.message)}`);
      case "probe-failed":
        return;
    }
  };
}

/** what, then the details (problems, log lines), then why / next / docs. */
export function printError(out: Output, error: ZeroError): void {
  out.error(`${pc.red("✖")} ${pc.bold(error.code)}: ${error.message}`);
  if (error.details.length > 0) {
    // Details quote services' own output (the last log lines of a failed one): its escape sequences are shown, not obeyed.
    for (const detail of error.details) out.error(`  ${quoted(detail)}`);
    out.error("");
  }
  out.error(`  ${pc.bold("Why:")}  ${error.why}`);
  out.error(`  ${pc.bold("Next:")} ${error.next}`);
  out.error(`  ${pc.bold("Docs:")} ${error.docs}`);
}

export const colors = pc;
