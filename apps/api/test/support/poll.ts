// Calls `read` until `done` accepts its result or the deadline passes, then fails with the last result seen:
// tests wait for a condition instead of sleeping and hoping.
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { deadlineMs = 10_000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${deadlineMs} ms; last value: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
