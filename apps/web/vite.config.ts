import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
// A relative path, not @zero/contracts: Vite bundles the config with relative imports, but loads packages as
// they are, and Node 20 cannot run the package's TypeScript.
import { parseAllowedHosts } from "../../packages/contracts/src/host-allowlist";
import { controlProxy } from "./server/control-proxy";
import { servedFilesGuard } from "./server/served-files-guard";
import { tailwind } from "./server/tailwind";

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

// Host and port come from the command line (zero passes --host/--port/--strictPort from stack.yaml).
export default defineConfig({
  plugins: [servedFilesGuard(), react(), tailwind(), controlProxy()],
  server: {
    strictPort: true,
    // Transform a page's modules when a browser asks for them, not all of them ahead when `/` is first served: that
    // is the supervisor's health check, as the stack starts. Saves ~0.5 s of CPU beside the API's start and ~35 MB
    // while no page is open; the first page load after a start does that work instead (docs/performance.md).
    preTransformRequests: false,
    // No CORS at all: Vite's default lets any localhost origin read index.html, and with it the control token.
    cors: false,
    allowedHosts: parseAllowedHosts(process.env.ALLOWED_HOSTS),
    // Serve the app and what it imports, nothing else of the checkout: Vite's default allows the whole workspace,
    // where .zero holds the supervisor's token, the passwords and the local CA's key (docs/security.md).
    fs: {
      strict: true,
      allow: [path("."), path("../../packages/contracts"), path("../../node_modules")],
      deny: [".env", ".env.*", "*.{crt,pem,key,p12,pfx}", "**/.git/**", "**/.zero/**", "**/secrets/**", "*.sock"],
    },
  },
  // The zero repo root has no index.html; keep Vite's dependency scan to this app.
  optimizeDeps: { entries: ["index.html"] },
});
