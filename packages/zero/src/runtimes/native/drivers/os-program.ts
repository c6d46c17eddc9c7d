import { mkdirSync } from "node:fs";
import { kindOf } from "../../../kinds/index.js";
import { ensureOsProgram } from "../prerequisites.js";
import { serviceDataDir } from "../data-dir.js";
import type { PrepareService } from "./driver.js";

/** The program its kind names (memcached), from the OS's packages, with the kind's arguments, in its own data folder. */
export const prepareOsProgram: PrepareService = async (service, { home, note }) => {
  const program = kindOf(service).native.program;
  if (!program) throw new Error(`kind ${service.kind}: the os-program driver needs native.program`);
  const command = await ensureOsProgram(program, note);
  const cwd = serviceDataDir(home, service.name);
  mkdirSync(cwd, { recursive: true, mode: 0o700 });
  return { command, args: program.args(service), cwd, env: { PATH: process.env.PATH }, stopSignal: "SIGTERM" };
};
