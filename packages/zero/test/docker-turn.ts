import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { withLifecycleLock } from "../src/orchestrate/lifecycle-lock.js";

/**
 * The setup file of the zero-docker project: one file that runs stacks in Docker at a time, while other files run
 * beside it. Two Docker stacks at once on a 2-core machine left a compose stack's dashboard short of "healthy" for
 * 30 s in CI. vitest runs a project without file parallelism after every other file, alone, so the turn is a lock
 * across the workers instead: the stack lock zero itself uses (a dead holder's lock is taken over).
 */
const turns = join(tmpdir(), "zero-test-docker-turn");
const longestWait = 30 * 60_000;
let endTurn: (() => void) | undefined;

beforeAll(async () => {
  await new Promise<void>((turnBegun, failed) => {
    const turn = withLifecycleLock(
      turns,
      "a test file running Docker stacks",
      () => {
        turnBegun();
        return new Promise<void>((ended) => {
          endTurn = ended;
        });
      },
      { waitMs: longestWait },
    );
    turn.catch(failed);
  });
}, longestWait);

// vitest runs afterAll hooks last-registered first: the file's own cleanup (its containers) ends before the turn.
afterAll(() => endTurn?.());
