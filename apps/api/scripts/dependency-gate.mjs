// The API's side of zero's start_early protocol (docs/stack.md#start-early): launched before PostgreSQL and Redis are
// healthy, the dev runner finds a pipe on the file descriptor named by ZERO_DEPENDENCIES_FD, and the line `ready` on
// it once they are. End of file without it: the supervisor is gone, the start abandoned. Without the variable (a
// restart, compose, Kubernetes, by hand) the dependencies are met already.
import { Socket } from "node:net";

/** A promise settled once the dependencies are met; `abandoned` runs instead when the pipe ends without the line. */
export function dependencyGate(abandoned) {
  const fd = Number(process.env.ZERO_DEPENDENCIES_FD);
  delete process.env.ZERO_DEPENDENCIES_FD; // the server and its spares inherit the environment, not the gate
  if (!Number.isInteger(fd) || fd < 3) return Promise.resolve();
  return new Promise((resolve) => {
    const pipe = new Socket({ fd, readable: true, writable: false });
    let text = "";
    pipe.setEncoding("utf8");
    pipe.on("data", (chunk) => {
      text += chunk;
      if (!text.includes("\n")) return;
      pipe.destroy(); // closes the descriptor: no later process inherits it
      if (text.startsWith("ready\n")) resolve();
      else abandoned();
    });
    pipe.once("end", () => {
      if (!text.includes("\n")) abandoned();
    });
    pipe.on("error", () => abandoned());
  });
}
