import closeWithGrace from "close-with-grace";
import { pino } from "pino";
import { buildApp } from "./app.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { prepareDatabase } from "./database/prepare.js";
import { buildLoggerOptions } from "./logger.js";

// Entry point run by zero (scripts/dev.mjs, hot reload) and by `npm start`: read the environment, listen, and on SIGTERM/SIGINT
// close the server, the database pool and the cache connection before exiting 0.
async function start(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await buildApp(config);
  closeWithGrace({ delay: 10_000, logger: app.log }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, "closing after an unexpected error");
    else app.log.info({ signal }, "shutting down");
    await app.close();
  });
  try {
    await prepareDatabase(config, app.log, app.database);
  } catch (error) {
    // Exit rather than serve a wrong schema: zero shows this line with the API's failure.
    app.log.fatal({ err: error }, "could not bring the database schema to the latest migration");
    await app.close();
    process.exit(1);
  }
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    const inUse = (error as NodeJS.ErrnoException).code === "EADDRINUSE";
    const message = inUse
      ? `Port ${config.port} on ${config.host} is already in use: stop the other process or set PORT`
      : `Could not listen on ${config.host}:${config.port}`;
    app.log.fatal({ err: error }, message);
    await app.close();
    process.exit(1);
  }
}

function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // The message names each bad variable; the stack and zod details would only bury it.
    pino(buildLoggerOptions("info")).fatal({ code: error.code }, error.message);
    process.exit(1);
  }
}

await start();
