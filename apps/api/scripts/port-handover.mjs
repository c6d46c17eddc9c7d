// A hot-reload restart's new server loads its bundle and builds its app while the server it replaces still stops
// (its close, then Node's own exit: ~20-150 ms on the project's machine) and listens once that one has exited.
// The hold is on the process's first listen, so src/server.ts knows nothing of it and a production start (npm start,
// the image) never loads this file. Used by scripts/server-host.mjs.
import { Server } from "node:net";

/** Defers the process's first `listen()` (Fastify's, on its HTTP server) until `until` resolves. */
export function holdFirstListen(until) {
  const listen = Server.prototype.listen;
  Server.prototype.listen = function heldListen(...args) {
    Server.prototype.listen = listen; // only the first: later servers listen at once
    void until.then(() => {
      try {
        listen.apply(this, args);
      } catch (error) {
        this.emit("error", error); // as a failed listen: Fastify rejects listen() and src/server.ts exits
      }
    });
    return this;
  };
}
