import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import "./index.css";

// Frontend-only mode (make start-frontend mock=1): Mock Service Worker answers for the API. Loaded only then,
// so a normal build carries none of it.
async function startMockApi(): Promise<void> {
  if (import.meta.env.VITE_MOCK_API !== "1") return;
  const { worker } = await import("./mocks/browser");
  await worker.start({ onUnhandledRequest: "bypass", quiet: true });
}

void startMockApi().then(() =>
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
