import { describe, expect, it } from "vitest";
import { plannedOrder } from "../../../../scripts/planned-order-sequencer.js";

// Pure logic: the order make test hands its files to vitest's workers (scripts/planned-order-sequencer.ts).
type File = { spec: never; seconds: number; docker: boolean; name: string };
const file = (name: string, seconds: number, docker = false): File => ({
  spec: undefined as never,
  seconds,
  docker,
  name,
});
const names = (files: File[], workers: number) => (plannedOrder(files, workers) as File[]).map((f) => f.name);

describe("the planned order of test files", () => {
  it("starts the longest files first", () => {
    expect(names([file("short", 3), file("long", 100), file("middle", 20)], 2)).toEqual(["long", "middle", "short"]);
  });

  it("puts Docker files beside the others, never two at once on the plan", () => {
    const files = [
      file("compose", 60, true),
      file("devcontainer", 50, true),
      file("a", 40),
      file("b", 30),
      file("c", 20),
      file("d", 10),
    ];
    // compose and a start; at 40 the free worker cannot start devcontainer (compose runs until 60), so it takes b;
    // at 60 devcontainer starts on compose's worker; c and d fill the rest.
    expect(names(files, 2)).toEqual(["compose", "a", "b", "devcontainer", "c", "d"]);
  });

  it("queues Docker files behind each other when nothing else is left", () => {
    expect(names([file("d1", 10, true), file("d2", 20, true), file("n", 5)], 2)).toEqual(["d2", "n", "d1"]);
  });

  it("keeps one worker's order as the longest first", () => {
    expect(names([file("x", 1), file("d", 5, true), file("y", 9)], 1)).toEqual(["y", "d", "x"]);
  });
});
