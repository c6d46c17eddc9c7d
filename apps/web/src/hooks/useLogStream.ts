import { useEffect, useRef, useState } from "react";
import { followEvents, type StreamState } from "../lib/event-stream";
import { LogBuffer, parseLogEvent, type LogEntry } from "../lib/log-buffer";

const FLUSH_MS = 100;

/**
 * Follows the supervisor's log stream. A reconnect resumes after the last line received (Last-Event-ID), so
 * nothing is shown twice and the history is not sent again. Lines are collected in a bounded buffer (the oldest
 * dropped and counted past 50,000 lines or 8 Mi characters; each line cut at 64 Ki characters) and the
 * component re-renders at most every 100 ms, so a burst of thousands of lines stays cheap.
 */
export function useLogStream(tail = 2000): { lines: readonly LogEntry[]; state: StreamState; dropped: number } {
  const buffer = useRef(new LogBuffer());
  const [lines, setLines] = useState<readonly LogEntry[]>([]);
  const [dropped, setDropped] = useState(0);
  const [state, setState] = useState<StreamState>("connecting");
  useEffect(() => {
    const controller = new AbortController();
    let pending: LogEntry[] = [];
    void followEvents(
      `/v1/logs?follow=1&tail=${tail}`,
      {
        onState: (next) => setState(next),
        onEvent: (_event, data) => {
          const entry = parseLogEvent(data);
          if (entry) pending.push(entry);
        },
      },
      controller.signal,
    );
    const timer = setInterval(() => {
      if (pending.length === 0) return;
      buffer.current.push(pending);
      pending = [];
      setLines(buffer.current.lines().slice());
      setDropped(buffer.current.dropped);
    }, FLUSH_MS);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [tail]);
  return { lines, state, dropped };
}
