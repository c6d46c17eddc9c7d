import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { zeroBin } from "../helpers/cli.js";

describe("the CLI's output piped into a reader that stops early", () => {
  it("zero help | true: exits 0 without a stack trace (EPIPE is not an error)", () => {
    // `true` exits before zero's Node has started, so zero's writes meet a closed pipe; zero's own exit code is kept.
    const run = spawnSync("bash", ["-c", '"$0" "$1" help | true; exit "${PIPESTATUS[0]}"', process.execPath, zeroBin], {
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
