// One typed client of the supervisor's control API, used by the CLI, backups and the API.
export {
  type CallOptions,
  type ControlAddress,
  type ControlClient,
  type ControlFetch,
  createControlClient,
  type LogsRequest,
} from "./client.js";
export { ControlApiError, type ControlFailure, isControlApiError } from "./errors.js";
export { parseFrame, readServerSentEvents, type ServerSentEvent } from "./server-sent-events.js";
