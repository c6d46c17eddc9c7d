import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
// A relative path, not @zero/contracts: Vite bundles the config with relative imports, but loads packages as
// they are, and Node 20 cannot run the package's TypeScript.
import { parseAllowedHosts } from "../../packages/contracts/src/host-allowlist";
import { controlProxy } from "./server/control-proxy";

// Host and port come from the command line (zero passes --host/--port/--strictPort from stack.yaml).
export default defineConfig({
  plugins: [react(), tailwindcss(), controlProxy()],
  server: {
    strictPort: true,
    // No CORS at all: Vite's default lets any localhost origin read index.html, and with it the control token.
    cors: false,
    allowedHosts: parseAllowedHosts(process.env.ALLOWED_HOSTS),
  },
  // The zero repo root has no index.html; keep Vite's dependency scan to this app.
  optimizeDeps: { entries: ["index.html"] },
});
