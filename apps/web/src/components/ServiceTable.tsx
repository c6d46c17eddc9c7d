import type { UsageHistory } from "../hooks/useStatusStream";
import { formatBytes, formatUptime } from "../lib/format";
import { debuggerAddress, dependencyOrder, serviceBadge, uptimeSeconds, type StackStatus } from "../lib/status";
import { devlog } from "../lib/devlog";
import { pageServer } from "../lib/control";
import { ActionButton } from "./ActionButton";
import { Sparkline } from "./Sparkline";
import { toneOf } from "../lib/tone";
import { StatusBadge } from "./StatusBadge";

const DATABASE_KINDS = new Set(["postgres"]);

/**
 * One row per service, dependencies first: state, health with its reason, uptime, restarts, CPU and memory
 * with their recent history, links, debugger, dependencies, and stop / start / restart. Clicking a name shows
 * its logs below.
 */
export function ServiceTable({
  status,
  usage,
  now,
  onShowLogs,
}: {
  status: StackStatus;
  usage: UsageHistory;
  now: number;
  onShowLogs: (service: string) => void;
}) {
  devlog.render("ServiceTable");
  const names = dependencyOrder(status.services);
  const ownServer = pageServer(status.services);
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-700 dark:bg-slate-900">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Services of the stack, dependencies first</caption>
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-700 dark:text-slate-400">
          <tr>
            {["Service", "State", "Uptime", "Restarts", "CPU", "Memory", "Links", "Depends on", "Actions"].map(
              (heading) => (
                <th key={heading} scope="col" className="px-3 py-2 font-medium">
                  {heading}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>
          {names.map((name) => {
            const service = status.services[name]!;
            const badge = serviceBadge(service);
            const history = usage[name];
            const running = !["stopped", "failed", "pending"].includes(service.state);
            const isDatabase = DATABASE_KINDS.has(service.kind);
            const servesPage = name === ownServer;
            const confirm = (verb: string) =>
              isDatabase ? `${verb} ${name}? Every connection to the database is cut; the API reconnects.` : undefined;
            const confirmStop = servesPage
              ? `Stop ${name}? It serves this page: the page stops working until make dev starts ${name} again.`
              : confirm("Stop");
            const debug = debuggerAddress(service);
            return (
              <tr
                key={name}
                data-testid={`service-${name}`}
                className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800"
              >
                <th scope="row" className="px-3 py-2 font-semibold">
                  <button
                    type="button"
                    onClick={() => onShowLogs(name)}
                    className="text-left hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-600"
                    title={`Show ${name}'s logs`}
                    data-testid={`show-logs-${name}`}
                  >
                    {name}
                  </button>
                  {service.description && (
                    <div className="text-xs font-normal text-slate-500 dark:text-slate-400">{service.description}</div>
                  )}
                </th>
                <td className="px-3 py-2">
                  <StatusBadge tone={toneOf(badge)} label={badge} testId={`service-${name}-state`} />
                  {service.lastError && badge !== "healthy" && badge !== "running" && (
                    <div
                      className="mt-1 max-w-64 break-words text-xs text-red-800 dark:text-red-300"
                      data-testid={`service-${name}-reason`}
                    >
                      {service.lastError}
                    </div>
                  )}
                </td>
                <td className="px-3 py-2 font-mono">{formatUptime(uptimeSeconds(service, now))}</td>
                <td className="px-3 py-2 font-mono" data-testid={`service-${name}-restarts`}>
                  {service.restarts}
                </td>
                <td className="whitespace-nowrap px-3 py-2 font-mono">
                  {service.cpu === undefined ? "—" : `${service.cpu.toFixed(1)} %`}{" "}
                  <Sparkline values={history?.cpu ?? []} label={`${name} CPU, last minute`} />
                </td>
                <td className="whitespace-nowrap px-3 py-2 font-mono">
                  {formatBytes(service.memoryBytes ?? null)}{" "}
                  <Sparkline values={history?.memory ?? []} label={`${name} memory, last minute`} />
                </td>
                <td className="px-3 py-2">
                  <ul className="space-y-0.5">
                    {Object.entries(service.urls).map(([label, url]) => (
                      <li key={label}>
                        <a
                          href={url}
                          target="_blank"
                          rel="noreferrer"
                          className="text-sky-700 underline dark:text-sky-400"
                        >
                          {label}
                        </a>
                      </li>
                    ))}
                    {service.kind === "node" && service.urls.API && (
                      <li>
                        <a
                          href={`${service.urls.API}/metrics`}
                          target="_blank"
                          rel="noreferrer"
                          className="text-sky-700 underline dark:text-sky-400"
                        >
                          Metrics
                        </a>
                      </li>
                    )}
                    {Object.entries(service.ports)
                      .filter(([port]) => port !== "debug")
                      .map(([label, port]) => (
                        <li key={label} className="font-mono text-xs text-slate-500 dark:text-slate-400">
                          {label} :{port}
                        </li>
                      ))}
                    {debug && (
                      <li className="font-mono text-xs" title="chrome://inspect or VS Code Attach">
                        debugger {debug}
                      </li>
                    )}
                  </ul>
                </td>
                <td className="px-3 py-2 text-xs">
                  {Object.keys(service.dependsOn).length > 0 ? Object.keys(service.dependsOn).join(", ") : "—"}
                </td>
                <td className="px-3 py-2">
                  <div className="flex flex-wrap justify-end gap-1">
                    <ActionButton
                      service={name}
                      action="restart"
                      confirm={confirm("Restart")}
                      servesPage={servesPage}
                    />
                    {running ? (
                      <ActionButton service={name} action="stop" confirm={confirmStop} />
                    ) : (
                      <ActionButton service={name} action="start" />
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
