import type { Project } from "../config/project.js";
import { kindOf } from "../kinds/index.js";
import { runtimeFor } from "../runtimes/index.js";
import { defaultRuntime } from "../runtimes/table.js";

// What an agent may not do alone: delete or replace data. The tool does nothing and answers what would happen and
// the command the developer types in a terminal, where zero asks them to confirm. Nothing the agent could send back
// (no token, no second call) makes it run: the confirmation happens outside this channel (docs/agents.md).

export type HumanOnlyAction = "reset-db" | "restore-db" | "down-volumes";

export async function refusal(action: HumanOnlyAction, project: Project, file?: string) {
  const data = action === "down-volumes" ? (await runtimeFor(project.runtime)).dataLocation(project) : "";
  const flags = project.runtime === defaultRuntime ? "" : ` runtime=${project.runtime}`;
  const database = Object.values(project.stack.services).find((s) => kindOf(s).database && s.database)?.env.POSTGRES_DB;
  const { wouldDo, command } = {
    "reset-db": {
      wouldDo: `Delete every row of database "${database ?? "?"}", recreate it, apply the migrations and load the seed data.`,
      command: `make reset-db${flags}`,
    },
    "restore-db": {
      wouldDo: `Replace database "${database ?? "?"}" with the backup ${file ?? "<file>"}; changes since that backup are lost.`,
      command: `make restore-db file=${file ?? "<file from make backups>"}${flags}`,
    },
    "down-volumes": {
      wouldDo: `Stop every service and delete the stack's data (${data}).`,
      command: `make down volumes=1${flags}`,
    },
  }[action];
  return {
    refused: true,
    reason: "This deletes or replaces data: only the developer can confirm it, in a terminal.",
    wouldDo,
    humanStep: `Ask the developer to run \`${command}\` in a terminal and answer its question.`,
    next: "Do not run that command yourself. Tell the developer what it does and why you need it.",
  };
}
