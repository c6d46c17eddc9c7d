import { describe, expect, it } from "vitest";
import { serviceParamsSchema } from "./actions.js";
import { logsQuerySchema } from "./logs.js";
import { readLogsQuery, readServiceParams, readStatusQuery, readTraceParams, readTracesQuery } from "./requests.js";
import { statusQuerySchema } from "./status.js";
import { traceParamsSchema, tracesQuerySchema } from "./traces.js";

// The supervisor reads requests without zod; clients use the zod schemas. Both must accept and refuse the same.
const agree = (
  read: (query: URLSearchParams) => { ok: boolean; value?: unknown },
  schema: { safeParse(v: unknown): { success: boolean; data?: unknown } },
  query: string,
) => {
  const params = new URLSearchParams(query);
  const byZod = schema.safeParse(Object.fromEntries(params));
  const byReader = read(params);
  expect(byReader.ok, `${query}: zod says ${byZod.success}`).toBe(byZod.success);
  if (byZod.success) expect(byReader.value).toEqual(byZod.data);
};

describe("the server's request readers agree with the contract's zod schemas", () => {
  it.each(["", "fresh=1", "follow=1", "fresh=1&follow=1", "fresh=0", "follow=yes", "fresh="])("status ?%s", (query) => {
    agree(readStatusQuery, statusQuerySchema, query);
  });

  it.each([
    "",
    "service=api",
    "service=my-worker2",
    "service=API",
    "service=../x",
    "service=-x",
    "tail=0",
    "tail=30",
    "tail=5000",
    "tail=5001",
    "tail=-1",
    "tail=1.5",
    "tail=abc",
    "tail=",
    "since=2026-01-01T00:00:00.000Z",
    "follow=1",
    "follow=true",
    "after=41",
    "after=-2",
    "after=x",
    "service=api&tail=3&follow=1&after=7&since=2026",
  ])("logs ?%s", (query) => {
    agree(readLogsQuery, logsQuerySchema, query);
  });

  it.each(["api", "postgres", "mail-catcher", "", "a/b", "Api", "x y"])("service name %j", (name) => {
    const byZod = serviceParamsSchema.safeParse({ name });
    const byReader = readServiceParams({ name });
    expect(byReader.ok).toBe(byZod.success);
  });

  it.each([
    "",
    "order=slowest",
    "order=failed",
    "order=recent&limit=500",
    "order=worst",
    "limit=0",
    "limit=501",
    "limit=",
    "limit=2.5",
  ])("traces ?%s", (query) => {
    agree(readTracesQuery, tracesQuerySchema, query);
  });

  it.each(["0af7651916cd43dd8448eb211c80319c", "0AF7651916CD43DD8448EB211C80319C", "abc", "", "../x"])(
    "trace id %j",
    (id) => {
      expect(readTraceParams({ id }).ok).toBe(traceParamsSchema.safeParse({ id }).success);
    },
  );

  it("says what is wrong", () => {
    expect(readLogsQuery(new URLSearchParams("tail=lots"))).toEqual({
      ok: false,
      error: "tail: expected a whole number from 0 to 5000",
    });
  });
});
