import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { arch, platform, release } from "node:os";
import { join } from "node:path";
import { effectiveSettings } from "../config/effective.js";
import { loadProject, type Project } from "../config/project.js";
import { runtimeFor } from "../runtimes/index.js";
import type { LogLine } from "../runtimes/runtime.js";
import type { CheckResult } from "./checks.js";

// Belt and braces after the project's own masker: anything shaped like a credential is cut too.
const CREDENTIAL_PATTERNS: [RegExp, string][] = [
  [/(\w+:\/\/[^:\s/@]*:)[^@\s]+@/g, "$1****@"],
  [/\b([A-Z0-9_]*(PASSWORD|SECRET|TOKEN|API_KEY)[A-Z0-9_]*\s*[=:]\s*)\S+/gi, "$1****"],
  [/\b(authorization:\s*bearer\s+)\S+/gi, "$1****"],
];

/** What a bug report needs, in one file (`make doctor report=1`): doctor, versions, configuration, status, logs. */
export async function writeReport(root: string, checks: CheckResult[]): Promise<string> {
  const sections: [string, string][] = [
    ["environment", environment(root)],
    ["doctor", checks.map((c) => `${c.ok ? "ok  " : c.required ? "FAIL" : "warn"} ${c.name}: ${c.detail}`).join("\n")],
  ];
  let project: Project | undefined;
  try {
    project = loadProject({ cwd: root, env: process.env });
    sections.push([
      "configuration",
      effectiveSettings(project)
        .map((r) => `${r.name}=${r.value}  (${r.source})`)
        .join("\n"),
    ]);
  } catch (error) {
    sections.push(["configuration", `could not load: ${(error as Error).message}`]);
  }
  if (project) {
    sections.push(["status", await attempt(() => statusText(project!))]);
    sections.push(["logs (last 200 lines)", await attempt(() => logText(project!))]);
  }
  const text = sections.map(([title, body]) => `## ${title}\n${body}\n`).join("\n");
  const redacted = redact(text, project?.mask ?? ((t) => t));
  const dir = join(project?.home ?? join(root, ".zero"), "reports");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `report-${new Date().toISOString().replace(/[:.]/g, "-")}.txt`);
  writeFileSync(file, redacted, { mode: 0o600 });
  return file;
}

export function redact(text: string, mask: (text: string) => string): string {
  return CREDENTIAL_PATTERNS.reduce(
    (current, [pattern, replacement]) => current.replace(pattern, replacement),
    mask(text),
  );
}

function environment(root: string): string {
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
  } catch {}
  return [
    `generated ${new Date().toISOString()}`,
    `os ${platform()} ${release()} ${arch()}`,
    `node ${process.version}`,
    `commit ${commit}`,
  ].join("\n");
}

async function statusText(project: Project): Promise<string> {
  const status = await (await runtimeFor(project.runtime)).capabilities.status?.(project);
  if (!status) return "nothing running";
  return status
    .map((s) => `${s.name} ${s.state} ${s.health} restarts=${s.restarts}${s.lastError ? ` error=${s.lastError}` : ""}`)
    .join("\n");
}

async function logText(project: Project): Promise<string> {
  const lines: LogLine[] = [];
  const logs = (await runtimeFor(project.runtime)).capabilities.logs;
  if (!logs) return "this runtime has no logs";
  await logs(project, { tail: 200, follow: false }, (line) => lines.push(line), AbortSignal.timeout(10_000));
  return lines.map((l) => `${l.ts} ${l.service} | ${l.line}`).join("\n") || "no log lines";
}

async function attempt(read: () => Promise<string>): Promise<string> {
  try {
    return await read();
  } catch (error) {
    return `could not read: ${(error as Error).message}`;
  }
}
