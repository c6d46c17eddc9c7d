import { setupWorker } from "msw/browser";
import { handlers } from "./handlers";

/** The service worker that answers the API's requests in frontend-only mode (VITE_MOCK_API=1). */
export const worker = setupWorker(...handlers);
