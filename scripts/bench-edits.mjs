// `make bench`'s hot-reload rows: a source edit, timed from the file's write to the new code answering, on the
// running stack. Each edit changes one marked spot of a real file and puts the file back as it was (also when the
// bench fails or is interrupted), then waits until the original code answers again.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";

const POLL_MS = 10;
const DEADLINE_MS = 60_000;
const EDIT_DEADLINE_MS = 15_000; // a hot update takes ~0.1 s
const SETTLE_BEFORE_EDIT_MS = 1_000;

/**
 * Writes `path` with `find` replaced; `restore()` puts the original bytes back (once; also on exit or Ctrl-C). An
 * edit of the same length is written in place, without truncating first: Vite reads a file on the truncation's
 * event and was seen to keep serving it empty.
 */
function editFile(path, find, replace) {
  const original = readFileSync(path, "utf8");
  if (!original.includes(find))
    throw new Error(`bench: ${path} no longer contains ${JSON.stringify(find)}; update scripts/bench-edits.mjs`);
  const flag = find.length === replace.length ? "r+" : "w";
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    writeFileSync(path, original, { flag });
    process.off("exit", restore);
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
  };
  const interrupted = (signal) => {
    restore();
    process.kill(process.pid, signal);
  };
  process.on("exit", restore);
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  writeFileSync(path, original.replace(find, replace), { flag });
  return restore;
}

async function until(what, check) {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`bench: gave up waiting for ${what} after ${DEADLINE_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The API's answer (status, bench header) at `path`, or undefined while no server answers (a new connection each time). */
function healthMarker(port, path = "/health") {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path, agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode, marker: res.headers["x-zero-bench"] ?? "" }));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(undefined));
    req.end();
  });
}

const API_ROUTE = join("apps", "api", "src", "routes", "health.ts");
const API_HANDLER = 'async () => ({ status: "ok" as const,';

/**
 * An API route edit → the new server answering: the `/health` handler gains a response header; timed until an
 * answer carries it (esbuild's rebuild, the old server's stop, the new one's start and listen). Each edit comes 1 s
 * after the previous one's restored code answered. Returns ms per edit.
 */
export async function timeApiEdits(root, port, count) {
  const path = join(root, API_ROUTE);
  const times = [];
  await until("the API to answer /health", async () => (await healthMarker(port))?.status === 200);
  for (let i = 1; i <= count; i++) {
    // Saves come seconds apart, not within milliseconds: the API's dev runner prepares its next restart (a spare
    // process with Node and the packages loaded) once the last one answers, as it does between a developer's edits.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_BEFORE_EDIT_MS));
    const marker = `edit-${Date.now()}`;
    const began = Date.now();
    const restore = editFile(
      path,
      API_HANDLER,
      `async (_request, reply) => (reply.header("x-zero-bench", "${marker}"), { status: "ok" as const,`,
    );
    try {
      await until("the edited API route to answer", async () => (await healthMarker(port))?.marker === marker);
      times.push(Date.now() - began);
    } finally {
      restore();
    }
    await until("the restored API route to answer", async () => {
      const answer = await healthMarker(port);
      return answer?.status === 200 && answer.marker === "";
    });
  }
  return times;
}

/** What the page shows, what Vite serves for the component and what the page met on its way, for a failure's message. */
async function pageState(page, troubles) {
  const shown = await page.evaluate(async () => {
    const served = await (await fetch("/src/components/LogViewer.tsx")).text();
    const shown = document.querySelector("[data-testid=log-download]")?.textContent;
    const lines = document.querySelector("[data-testid=log-lines]");
    const viewer = lines
      ? `${lines.childElementCount} log lines, ${lines.scrollHeight}/${lines.clientHeight} px`
      : "no log viewer";
    return `the page shows ${JSON.stringify(shown)} and ${viewer}; Vite serves ${served.length} characters, "${/Downloa./.exec(served)?.[0]}"`;
  });
  return `${shown}; ${troubles.join("; ") || "no error in the page"}`;
}

const WEB_COMPONENT = join("apps", "web", "src", "components", "LogViewer.tsx");
const WEB_TEXT = 'data-testid="log-download">Download</button>';

/**
 * A dashboard component edit → the updated DOM in a browser, with the component's state kept: the log viewer is
 * scrolled up (its own `following` state: "paused"), then its Download button's text is edited. Timed from the
 * write to the moment the page's DOM shows the new text (a MutationObserver in the page); fails when the page
 * reloaded or the state was lost instead of a hot update. Debian's Chromium only (CHROMIUM_PATH), never a download.
 * Returns ms per edit, or undefined when there is no Chromium.
 */
export async function timeWebEdits(root, port, apiPort, count) {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) return undefined;
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const path = join(root, WEB_COMPONENT);
  const times = [];
  try {
    // Log lines to scroll: a quiet stack logs few (health checks are at debug), every other API request one.
    for (let i = 0; i < 40; i++) await healthMarker(apiPort, "/openapi.json");
    const page = await browser.newPage();
    // What the page met on its way, for a failure's message: its console errors and the requests that failed.
    const troubles = [];
    page.on("console", (message) => message.type() === "error" && troubles.push(`console: ${message.text()}`));
    page.on("pageerror", (error) => troubles.push(`page error: ${error.message}`));
    page.on("requestfailed", (request) => troubles.push(`failed: ${request.url()} ${request.failure()?.errorText}`));
    page.on(
      "response",
      (response) => response.status() >= 400 && troubles.push(`${response.status()}: ${response.url()}`),
    );
    await page.goto(`http://127.0.0.1:${port}/`);
    // Enough log lines to scroll, then scrolled up: the viewer pauses (state held by the edited component).
    await page
      .waitForFunction(
        () => {
          const lines = document.querySelector("[data-testid=log-lines]");
          return lines && lines.scrollHeight > lines.clientHeight + 100;
        },
        undefined,
        { timeout: DEADLINE_MS },
      )
      .catch(async (error) => {
        throw new Error(
          `the log viewer never had lines to scroll (${error.message}): ${await pageState(page, troubles)}`,
        );
      });
    await page.evaluate(() => {
      window.__zeroBenchPage = true; // gone if the page reloads
    });
    // Scrolled up, as a reader would, again if a line that arrived meanwhile took the viewer back to the end (the
    // virtualizer follows the newest line over a few frames; on a busy machine a scroll inside them is undone).
    for (let tries = 1; ; tries++) {
      await page.evaluate(() => {
        document.querySelector("[data-testid=log-lines]").scrollTop = 0;
      });
      const paused = await page.waitForSelector("[data-testid=log-jump]", { timeout: 2_000 }).catch(() => undefined);
      if (paused) break;
      if (tries === 10)
        throw new Error(`the log viewer never paused when scrolled up (10 tries): ${await pageState(page, troubles)}`);
    }
    for (let i = 1; i <= count; i++) {
      const text = `Downloa${i % 10}`; // as long as "Download": written in place
      const seen = page.evaluate(
        (wanted) =>
          new Promise((resolve) => {
            const button = () => document.querySelector("[data-testid=log-download]");
            const observer = new MutationObserver(() => {
              if (button()?.textContent !== wanted) return;
              observer.disconnect();
              resolve(Date.now());
            });
            observer.observe(document.body, { subtree: true, childList: true, characterData: true });
          }),
        text,
      );
      seen.catch(() => {}); // rejected when the browser closes after a failure: the failure is what is reported
      await page.evaluate(() => true); // the observer is in place before the write
      const began = Date.now();
      const restore = editFile(path, WEB_TEXT, `data-testid="log-download">${text}</button>`);
      try {
        const at = await Promise.race([seen, new Promise((resolve) => setTimeout(resolve, EDIT_DEADLINE_MS, 0))]);
        if (!at) {
          throw new Error(`bench: the edited component never showed in the page: ${await pageState(page, troubles)}`);
        }
        times.push(at - began);
        const kept = await page.evaluate(() => ({
          samePage: window.__zeroBenchPage === true,
          paused: document.querySelector("[data-testid=log-jump]") !== null,
        }));
        if (!kept.samePage) throw new Error("bench: the page reloaded instead of a hot update");
        if (!kept.paused) throw new Error("bench: the hot update lost the log viewer's state");
      } finally {
        restore();
      }
      await page
        .waitForFunction(
          () => document.querySelector("[data-testid=log-download]")?.textContent === "Download",
          undefined,
          { timeout: DEADLINE_MS },
        )
        .catch(async (error) => {
          throw new Error(`the text put back never showed (${error.message}): ${await pageState(page, troubles)}`);
        });
    }
  } finally {
    await browser.close();
  }
  return times;
}
