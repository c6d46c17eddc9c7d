import { existsSync, realpathSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join, resolve } from "node:path";
import { isFileLoadingAllowed, type Plugin, type ResolvedConfig } from "vite";

/**
 * Vite checks `server.fs` (vite.config.ts) on the path it was asked for, and follows symlinks when it reads: a link
 * inside the app pointing at .zero serves the supervisor's token. This checks where each asked-for file really is,
 * before Vite sees the request, and refuses it (403) when that place is outside the allow list or denied.
 */
export function servedFilesGuard(): Plugin {
  let config: ResolvedConfig;
  return {
    name: "zero-served-files-guard",
    apply: "serve",
    configResolved(resolved) {
      config = resolved;
    },
    configureServer(server) {
      server.middlewares.use((request: IncomingMessage, response: ServerResponse, next: () => void) => {
        const files = askedFor(request.url ?? "/", config);
        if (files === undefined || files.every((file) => servable(file, config))) return next();
        response.writeHead(403, { "content-type": "text/plain", "cache-control": "no-store" });
        response.end("Forbidden: outside the files this dev server serves (docs/security.md)");
      });
    },
  };
}

/** The files a request URL can name: the /@fs/ path, or the path under the app root and under public/. */
function askedFor(url: string, config: ResolvedConfig): string[] | undefined {
  let path: string;
  try {
    path = decodeURIComponent(url.replace(/[?#].*$/s, ""));
  } catch {
    return undefined; // Vite answers a malformed URL itself
  }
  if (path.startsWith("/@fs/")) return [resolve(path.slice("/@fs".length))];
  if (path.startsWith("/@")) return []; // Vite's own modules (/@vite/client, /@id/ bare imports, /@react-refresh)
  const candidates = [join(config.root, path)];
  if (config.publicDir) candidates.push(join(config.publicDir, path));
  return candidates;
}

function servable(file: string, config: ResolvedConfig): boolean {
  if (!existsSync(file)) return true; // nothing there to leak; Vite answers 404 or resolves a module
  return isFileLoadingAllowed(config, realpathSync(file));
}
