import { execFileSync } from "node:child_process";

/** Whether a Docker engine answers here (the compose tests run only then, or fail in CI, which starts one). */
export const dockerAnswers = (() => {
  try {
    execFileSync("docker", ["info"], { stdio: "ignore", timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
})();
