import { useCallback, useEffect, useState } from "react";
import { type ConfigView as ConfigAnswer, configViewSchema } from "@zero/contracts/control";
import { readAnswer } from "../lib/contract";
import { controlError, controlFetch } from "../lib/control";

/** The effective configuration, read from the files now: each value's source, problems with their fix. Read-only. */
export function ConfigView() {
  const [answer, setAnswer] = useState<ConfigAnswer | { error: string }>();
  const load = useCallback(async () => {
    try {
      const response = await controlFetch("/v1/config");
      setAnswer(
        response.ok
          ? await readAnswer(response, configViewSchema, "a configuration")
          : { error: (await controlError(response)).message },
      );
    } catch (error) {
      setAnswer({ error: (error as Error).message });
    }
  }, []);
  useEffect(() => void load(), [load]);

  if (!answer) return <p className="text-slate-600 dark:text-slate-400">Reading the configuration…</p>;
  if ("error" in answer)
    return (
      <p role="alert" className="text-red-800 dark:text-red-300">
        The configuration cannot be read: {answer.error}
      </p>
    );
  return (
    <div className="space-y-3" data-testid="config">
      <p className="text-sm">
        Profile <strong>{answer.profile}</strong>, runtime <strong>{answer.runtime}</strong>. Values as{" "}
        <code>make config</code> shows them; secrets are masked before they leave the supervisor.{" "}
        <button type="button" onClick={() => void load()} className="underline">
          Read again
        </button>
      </p>
      {answer.changedSinceStart && answer.problems.length === 0 && (
        <p
          role="status"
          className="rounded bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
          data-testid="config-changed"
        >
          The files say something else than what the running stack started with: run <code>make dev</code> to apply it.
        </p>
      )}
      {answer.problems.length > 0 && (
        <div
          role="alert"
          className="rounded bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-200"
          data-testid="config-problems"
        >
          <ul className="list-inside list-disc font-mono text-xs">
            {answer.problems.map((problem) => (
              <li key={problem}>{problem.replace(/^- /, "")}</li>
            ))}
          </ul>
          {answer.next && <p className="mt-2">{answer.next}</p>}
        </div>
      )}
      {answer.settings.length > 0 && (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Effective configuration</caption>
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-700 dark:text-slate-400">
              <tr>
                {["Variable", "Value", "Source", "What"].map((h) => (
                  <th key={h} scope="col" className="px-3 py-2 font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {answer.settings.map((row) => (
                <tr key={row.name} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                  <th scope="row" className="px-3 py-1 font-mono text-xs font-semibold">
                    {row.name}
                  </th>
                  <td className="px-3 py-1 font-mono text-xs" data-testid={`config-${row.name}`}>
                    {row.value || "—"}
                  </td>
                  <td className="px-3 py-1 text-xs">{row.source}</td>
                  <td className="px-3 py-1 text-xs text-slate-600 dark:text-slate-400">{row.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
