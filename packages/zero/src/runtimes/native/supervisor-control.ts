import { type ControlClient, createControlClient } from "@zero/contracts/control-client";
import { jsonFetch } from "../../control/json-fetch.js";
import type { StackState } from "./supervisor/state-file.js";

/**
 * The one control API client (@zero/contracts/control-client), for the supervisor the state file records. Its plain
 * calls go over node:http (jsonFetch: no undici to load); `streams: true` for a followed stream (the global fetch).
 * Apart from the supervisor's start (supervisor-client.ts): `zero status` and `zero down` load only this.
 */
export function controlClient(state: Pick<StackState, "supervisor">, { streams = false } = {}): ControlClient {
  const url = `http://127.0.0.1:${state.supervisor.controlPort}`;
  return createControlClient({ url, token: state.supervisor.token, ...(streams ? {} : { fetch: jsonFetch }) });
}
