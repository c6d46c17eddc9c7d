import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Host and port come from the command line (zero passes --host/--port/--strictPort from stack.yaml).
export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: { strictPort: true },
  // The zero repo root has no index.html; keep Vite's dependency scan to this app.
  optimizeDeps: { entries: ["index.html"] },
});
