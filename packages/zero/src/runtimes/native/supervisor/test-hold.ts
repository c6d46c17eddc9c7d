/**
 * For tests only (ZERO_TEST_HOLD_LAUNCH=<service>): holds that service between preparing and launching until the
 * start is aborted (the stack goes down), then lets it go on just after the shutdown has looked for processes to
 * stop. In real use that window is a few milliseconds (initdb done, launch not yet), too short for a test to hit;
 * a client killed in it left PostgreSQL running with no record (test/faults/client-death.test.ts).
 */
export async function holdLaunchForTests(
  service: string,
  signal: AbortSignal,
  note: (message: string) => void,
): Promise<void> {
  if (process.env.ZERO_TEST_HOLD_LAUNCH !== service) return;
  note(`${service}: launch held until the stack stops (ZERO_TEST_HOLD_LAUNCH)`);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 60_000);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
    if (signal.aborted) resolve();
  });
  await new Promise((resolve) => setImmediate(resolve)); // after the shutdown's first look at what runs
}
