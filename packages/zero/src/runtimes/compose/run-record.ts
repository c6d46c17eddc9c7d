import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * What `zero up` under Compose records in the stack's home: the Compose project and the file it was created from.
 * `down` and `status` work from it alone when stack.yaml or .env cannot be loaded (a half-typed edit must not keep
 * the containers running), never from the broken file.
 */
export interface ComposeRecord {
  projectName: string;
  file: string;
}

export function composeRecordPath(home: string): string {
  return join(home, "compose", "run.json");
}

export function writeComposeRecord(home: string, record: ComposeRecord): void {
  writeFileSync(composeRecordPath(home), JSON.stringify(record), { mode: 0o600 });
}

export function readComposeRecord(home: string): ComposeRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(composeRecordPath(home), "utf8")) as Partial<ComposeRecord>;
    return typeof record.projectName === "string" && typeof record.file === "string"
      ? (record as ComposeRecord)
      : undefined;
  } catch {
    return undefined;
  }
}

export function removeComposeRecord(home: string): void {
  rmSync(composeRecordPath(home), { force: true });
}
