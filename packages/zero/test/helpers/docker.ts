import { execFileSync } from "node:child_process";

/** Whether a Docker engine answers here (the compose tests run only then, or fail in CI, which starts one). */
export const dockerAnswers = (() => {
  try {
    // An engine that is not there fails at once; a busy one (images building, other test files' containers
    // starting) took more than 10 s to answer in CI, which made the compose tests fail as if Docker were missing.
    execFileSync("docker", ["info"], { stdio: "ignore", timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
})();
