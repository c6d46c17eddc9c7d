// A stand-in for the server bundle, run by scripts/server-host.mjs in a test: says once it has asked to listen on
// FIXTURE_PORT (no host: the bind is tried at once, so a port still held fails at once), and answers "new".
import { createServer } from "node:http";

const server = createServer((_request, response) => response.end("new"));
const listening = new Promise((resolve, reject) => {
  server.once("error", reject);
  server.once("listening", resolve);
});
server.listen(Number(process.env.FIXTURE_PORT));
console.log("listen called");
await listening;
