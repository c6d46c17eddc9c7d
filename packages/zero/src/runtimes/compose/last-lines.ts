/** The last non-blank lines of a command's output, for an error's details or a log tail. */
export function lastLines(text: string, count: number): string[] {
  return text
    .split("\n")
    .filter((line) => line.trim())
    .slice(-count);
}
