import { useEffect, useRef, useState } from "react";
import { LogBuffer, parseLogEvent, type LogEntry } from "../lib/log-buffer";

export type StreamState = "connecting" | "live" | "reconnecting";

const FLUSH_MS = 250;

/**
 * Follows the API's log relay with an EventSource (which reconnects by itself). Lines are collected in a bounded
 * buffer and the component re-renders at most every 250 ms, so a burst of thousands of lines stays cheap.
 */
export function useLogStream(apiUrl: string, tail = 1000): { lines: readonly LogEntry[]; state: StreamState } {
  const buffer = useRef(new LogBuffer());
  const [lines, setLines] = useState<readonly LogEntry[]>([]);
  const [state, setState] = useState<StreamState>("connecting");
  useEffect(() => {
    let pending: LogEntry[] = [];
    const source = new EventSource(`${apiUrl}/api/v1/environment/logs?tail=${tail}`);
    source.onopen = () => {
      // A reconnect replays the history: start over rather than show it twice.
      buffer.current = new LogBuffer();
      pending = [];
      setState("live");
    };
    source.onerror = () => setState("reconnecting");
    source.onmessage = (event: MessageEvent<string>) => {
      const entry = parseLogEvent(event.data);
      if (entry) pending.push(entry);
    };
    const timer = setInterval(() => {
      if (pending.length === 0) return;
      buffer.current.push(pending);
      pending = [];
      setLines(buffer.current.lines().slice());
    }, FLUSH_MS);
    return () => {
      source.close();
      clearInterval(timer);
    };
  }, [apiUrl, tail]);
  return { lines, state };
}
