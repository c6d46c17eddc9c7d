import { existsSync, readFileSync } from "node:fs";
import { clip } from "./clip.js";

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/;
// Control characters (tab excepted) or bytes that are not UTF-8: what a binary paste or a corrupted file leaves.
function isBinary(line: string): boolean {
  for (const char of line) {
    const code = char.codePointAt(0)!;
    if ((code < 0x20 && code !== 0x09) || code === 0x7f || code === 0xfffd) return true;
  }
  return false;
}

/**
 * Problems in a .env file that dotenv passes over silently: a variable set twice (the last one wins), and lines of
 * binary garbage (ignored). Each warning names the file and line(s); values are never echoed.
 */
export function lintEnvFile(path: string, file: string): string[] {
  if (!existsSync(path)) return [];
  const warnings: string[] = [];
  const firstLine = new Map<string, number>();
  readFileSync(path, "utf8")
    .split(/\r?\n/)
    .forEach((line, index) => {
      const number = index + 1;
      if (isBinary(line)) {
        warnings.push(
          `${file} line ${number} holds binary or control characters; it was ignored. Delete it or fix the file's encoding.`,
        );
        return;
      }
      const name = ASSIGNMENT.exec(line)?.[1];
      if (!name) return;
      const first = firstLine.get(name);
      if (first === undefined) firstLine.set(name, number);
      else
        warnings.push(
          `${file} line ${number} sets ${clip(name, 60)} again (first set on ${file} line ${first}); the last one wins. Delete one of them.`,
        );
    });
  return warnings;
}

/** The known name closest to `name` (at most 2 edits away), for "did you mean API_PORT?". */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  if (name.length > 64) return undefined; // not a typo of a real name; and keeps the distance cheap
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance > 0 && distance <= 2 && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** Levenshtein distance with transpositions counted as one edit (API_PROT → API_PORT is one). */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
    }
  }
  return rows[a.length]![b.length]!;
}
