import { readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import type { Project } from "../../src/config/project.js";
import { summaryRows } from "../../src/cli/summary.js";
import { readStackFile, resolveStack } from "../../src/stack/load.js";
import { repoRoot } from "../helpers/cli.js";

// VS Code itself cannot run here: these check what the editor would read (JSON with comments, as VS Code parses it)
// against the stack, the Makefile and Node's own inspector output.
function readJsonc(path: string) {
  const { config, error } = ts.parseConfigFileTextToJson(path, readFileSync(join(repoRoot, path), "utf8"));
  if (error) throw new Error(`${path}: ${ts.flattenDiagnosticMessageText(error.messageText, "\n")}`);
  return config;
}

interface LaunchConfig {
  name: string;
  type: string;
  request: string;
  address?: string;
  port?: number;
  restart?: boolean;
  outFiles?: string[];
}

const launch = readJsonc(".vscode/launch.json") as {
  configurations: LaunchConfig[];
  compounds: { name: string; configurations: string[]; preLaunchTask?: string }[];
};
const tasks = readJsonc(".vscode/tasks.json") as {
  tasks: {
    label: string;
    command: string;
    problemMatcher?: { background?: { beginsPattern: string; endsPattern: string } };
  }[];
};

describe("the VS Code configuration", () => {
  it("launch.json, tasks.json and extensions.json parse as VS Code reads them (JSON with comments)", () => {
    expect(launch.configurations.length).toBeGreaterThan(0);
    expect(tasks.tasks.length).toBeGreaterThan(0);
    expect(readJsonc(".vscode/extensions.json").recommendations).toContain("biomejs.biome");
  });

  it("attaches where the start-up summary says the API's debugger is, and re-attaches after each hot reload", () => {
    const stack = resolveStack(readStackFile(join(repoRoot, "stack.yaml")), "full", {
      POSTGRES_PASSWORD: "x",
      REDIS_PASSWORD: "y",
    });
    const debuggerRow = summaryRows({ stack } as Project).find(([label]) => label === "Debugger")?.[1];
    const [, address, port] = /^api: ([\d.]+):(\d+) /.exec(debuggerRow ?? "") ?? [];
    const attach = launch.configurations.find((c) => c.name === "Attach to API")!;
    expect(attach).toMatchObject({ type: "node", request: "attach", address, port: Number(port), restart: true });
    expect(debuggerRow).toContain('VS Code "Attach');
    // The API's inspector flag in stack.yaml listens on that same address and port.
    expect(stack.services.api!.command).toContain(`--inspect=${address}:${port}`);
    // Source maps: the dev server's bundles (apps/api/scripts/dev.mjs writes .dev/<pid>/server.mjs, maps inline).
    expect(attach.outFiles).toEqual(["${workspaceFolder}/apps/api/.dev/**/*.mjs"]);
    expect(readFileSync(join(repoRoot, "apps/api/scripts/dev.mjs"), "utf8")).toMatch(
      /BUILD_ROOT = "\.dev"[\s\S]*sourcemap: "inline"/,
    );
  });

  it("names only configurations and tasks that exist, and tasks only make targets that exist", () => {
    const names = new Set(launch.configurations.map((c) => c.name));
    const labels = new Set(tasks.tasks.map((t) => t.label));
    for (const compound of launch.compounds) {
      for (const name of compound.configurations) expect(names, compound.name).toContain(name);
      if (compound.preLaunchTask) expect(labels, compound.name).toContain(compound.preLaunchTask);
    }
    const makefile = readFileSync(join(repoRoot, "Makefile"), "utf8");
    for (const task of tasks.tasks) {
      const target = /^make ([a-z0-9-]+)$/.exec(task.command)?.[1];
      expect(target, task.label).toBeDefined();
      expect(makefile, task.label).toMatch(new RegExp(`^${target}:`, "m"));
    }
  });

  it("counts make debug-backend as ready when Node's inspector says it listens (Node's own words, checked on this Node)", async () => {
    const background = tasks.tasks.find((t) => t.label === "make debug-backend")!.problemMatcher!.background!;
    const node = await execa(process.execPath, ["--inspect=127.0.0.1:0", "-e", ""], { reject: false });
    expect(node.stderr).toMatch(new RegExp(background.endsPattern));
    // zero debug's first line (cli/commands/debug.ts) begins the task.
    expect(readFileSync(join(repoRoot, "packages/zero/src/cli/commands/debug.ts"), "utf8")).toContain(
      "`Starting what ${service.name} needs:",
    );
    expect("Starting what api needs: postgres, redis").toMatch(new RegExp(background.beginsPattern));
  });
});
