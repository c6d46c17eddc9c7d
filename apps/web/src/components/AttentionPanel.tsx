import type { LogEntry } from "../lib/log-buffer";
import { readableLine } from "../lib/log-buffer";
import { needsAttention, serviceBadge, type StackStatus } from "../lib/status";
import { pageServer } from "../lib/control";
import { ActionButton } from "./ActionButton";

const LAST_LINES = 12;

/**
 * The first thing a developer needs when something broke: which service, why (exit code, failed check), its last
 * lines, and a Restart button. Works whatever state the API is in, because none of it goes through the API.
 */
export function AttentionPanel({ status, lines }: { status: StackStatus; lines: readonly LogEntry[] }) {
  const broken = Object.entries(status.services).filter(([, service]) => needsAttention(service));
  if (broken.length === 0) return null;
  const ownServer = pageServer(status.services);
  return (
    <section aria-labelledby="attention-heading" className="mt-6 space-y-4" data-testid="attention">
      <h2 id="attention-heading" className="text-lg font-semibold text-red-800 dark:text-red-300">
        Needs attention
      </h2>
      {broken.map(([name, service]) => {
        const last = lastLinesOf(lines, name);
        return (
          <article
            key={name}
            data-testid={`attention-${name}`}
            className="rounded-xl border border-red-200 bg-red-50 p-4 dark:border-red-900 dark:bg-red-950"
          >
            <header className="flex flex-wrap items-center justify-between gap-2">
              <h3 className="font-semibold">
                {name}: {serviceBadge(service)}
                {service.lastError && (
                  <span className="font-normal" data-testid={`attention-${name}-reason`}>
                    {" "}
                    ({service.lastError})
                  </span>
                )}
                {service.restarts > 0 && (
                  <span className="font-normal">
                    , {service.restarts} restart{service.restarts === 1 ? "" : "s"}
                  </span>
                )}
              </h3>
              <ActionButton service={name} action="restart" servesPage={name === ownServer} />
            </header>
            <pre
              className="mt-3 max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-white p-2 font-mono text-xs text-slate-800 dark:bg-slate-900 dark:text-slate-200"
              data-testid={`attention-${name}-lines`}
            >
              {last.length > 0 ? last.map((entry) => readableLine(entry.line)).join("\n") : "(no output yet)"}
            </pre>
          </article>
        );
      })}
    </section>
  );
}

function lastLinesOf(lines: readonly LogEntry[], service: string): LogEntry[] {
  const found: LogEntry[] = [];
  for (let index = lines.length - 1; index >= 0 && found.length < LAST_LINES; index--) {
    if (lines[index]!.service === service) found.push(lines[index]!);
  }
  return found.reverse();
}
