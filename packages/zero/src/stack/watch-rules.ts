import { posix } from "node:path";
import type { Service, WatchRule } from "./schema.js";

/** What is wrong with a service's watch rules (empty when nothing is), each naming the service and the rule. */
export function checkWatchRules(service: Service): string[] {
  return service.watch.flatMap((rule, index) => {
    const at = `services.${service.name}.watch[${index}] (${rule.action} ${rule.path.join(", ")})`;
    const problems = [...rule.path, ...(rule.ignore ?? [])]
      .filter(outsideRepository)
      .map((glob) => `${at}: "${glob}" is outside the repository; paths are relative to it (no leading / or ..)`);
    if (rule.action === "rebuild" && !service.build_command)
      problems.push(`${at}: rebuild runs the service's build_command, and ${service.name} has none`);
    if (rule.action === "sync") problems.push(...checkSync(service, rule, at));
    else if (rule.target || rule.restart !== undefined || rule.exec)
      problems.push(`${at}: target, restart and exec belong to sync rules only`);
    return problems;
  });
}

/** sync copies files into a running container; natively the files are used where they are, so there is nothing to copy. */
function checkSync(service: Service, rule: WatchRule, at: string): string[] {
  const problems: string[] = [];
  if (service.native !== "skip") {
    problems.push(
      `${at}: sync copies into a container, and ${service.name} also runs natively; use restart (natively and in containers, with its folder in container.mounts), or mark the service native: skip`,
    );
  }
  if (!rule.target?.startsWith("/"))
    problems.push(`${at}: sync needs target, the absolute folder in the container to copy to`);
  return problems;
}

function outsideRepository(glob: string): boolean {
  if (glob.startsWith("/") || /^[A-Za-z]:[\\/]/.test(glob)) return true;
  const normal = posix.normalize(glob);
  return normal === ".." || normal.startsWith("../");
}
