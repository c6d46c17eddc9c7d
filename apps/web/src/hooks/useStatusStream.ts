import { useEffect, useState } from "react";
import { followEvents, type StreamState } from "../lib/event-stream";
import { parseStatusEvent, type StackStatus } from "../lib/status";

/** Samples of CPU (% of a core) and memory (bytes) per service, newest last, for the sparklines. */
export type UsageHistory = Record<string, { cpu: number[]; memory: number[] }>;

const SAMPLES = 30;

/** The stack's status, pushed by the supervisor on every change (and every 2 s for usage), with a short usage history. */
export function useStatusStream(): { status?: StackStatus; state: StreamState; error?: string; usage: UsageHistory } {
  const [status, setStatus] = useState<StackStatus>();
  const [stream, setStream] = useState<{ state: StreamState; error?: string }>({ state: "connecting" });
  const [usage, setUsage] = useState<UsageHistory>({});
  useEffect(() => {
    const controller = new AbortController();
    void followEvents(
      "/v1/status?follow=1",
      {
        onState: (state, error) => setStream({ state, error }),
        onEvent: (event, data) => {
          if (event !== "status") return;
          const parsed = parseStatusEvent(data);
          // The last valid status stays on screen; the connection line says what was refused.
          if ("error" in parsed) return setStream({ state: "live", error: parsed.error });
          const next = parsed.status;
          setStream((stream) => (stream.error ? { state: stream.state } : stream));
          setStatus(next);
          setUsage((history) => addSamples(history, next));
        },
      },
      controller.signal,
    );
    return () => controller.abort();
  }, []);
  return { status, ...stream, usage };
}

function addSamples(history: UsageHistory, status: StackStatus): UsageHistory {
  const next: UsageHistory = {};
  for (const [name, service] of Object.entries(status.services)) {
    const before = history[name] ?? { cpu: [], memory: [] };
    next[name] = {
      cpu: [...before.cpu, service.cpu ?? 0].slice(-SAMPLES),
      memory: [...before.memory, service.memoryBytes ?? 0].slice(-SAMPLES),
    };
  }
  return next;
}
