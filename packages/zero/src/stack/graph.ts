import type { Service } from "./schema.js";

/** Problems with how services refer to each other; empty when the graph is sound. */
export function checkGraph(services: Record<string, Service>): string[] {
  const problems: string[] = [];
  for (const service of Object.values(services)) {
    for (const [dependency, { condition }] of Object.entries(service.depends_on)) {
      const target = services[dependency];
      if (!target) {
        problems.push(`services.${service.name}.depends_on: unknown service "${dependency}"`);
      } else if (condition === "healthy" && !target.healthcheck) {
        problems.push(
          `services.${service.name}.depends_on.${dependency}: waits for "healthy" but ${dependency} has no healthcheck`,
        );
      }
    }
  }
  const cycle = findCycle(services);
  if (cycle) problems.push(`services: dependency cycle ${cycle.join(" -> ")}`);
  return problems;
}

function findCycle(services: Record<string, Service>): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, path: string[]): string[] | undefined => {
    if (state.get(name) === "done") return undefined;
    if (state.get(name) === "visiting") return [...path.slice(path.indexOf(name)), name];
    state.set(name, "visiting");
    for (const dependency of Object.keys(services[name]?.depends_on ?? {})) {
      if (!services[dependency]) continue;
      const cycle = visit(dependency, [...path, name]);
      if (cycle) return cycle;
    }
    state.set(name, "done");
    return undefined;
  };
  for (const name of Object.keys(services)) {
    const cycle = visit(name, []);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Services ordered so that each comes after everything it depends on. */
export function startOrder(services: Record<string, Service>): Service[] {
  const ordered: Service[] = [];
  const seen = new Set<string>();
  const visit = (service: Service) => {
    if (seen.has(service.name)) return;
    seen.add(service.name);
    for (const dependency of Object.keys(service.depends_on)) {
      const target = services[dependency];
      if (target) visit(target);
    }
    ordered.push(service);
  };
  Object.values(services).forEach(visit);
  return ordered;
}

/** Dependents before dependencies: the order to stop in. */
export function stopOrder(services: Record<string, Service>): Service[] {
  return startOrder(services).reverse();
}

/** The named services and everything they depend on, transitively (for `zero up api`). */
export function withDependencies(services: Record<string, Service>, names: string[]): Record<string, Service> {
  const chosen: Record<string, Service> = {};
  const add = (name: string) => {
    const service = services[name];
    if (!service || chosen[name]) return;
    chosen[name] = service;
    Object.keys(service.depends_on).forEach(add);
  };
  names.forEach(add);
  return chosen;
}

/**
 * The services to restart after `restarted` were (Compose's `depends_on: { x: { restart: true } }`): those that
 * asked to follow one of them, and in turn those following these, in start order (each after what it follows).
 */
export function restartFollowers(services: Record<string, Service>, restarted: string[]): Service[] {
  const follow = new Set(restarted);
  let grew = true;
  while (grew) {
    grew = false;
    for (const service of Object.values(services)) {
      if (follow.has(service.name)) continue;
      if (Object.entries(service.depends_on).some(([name, dependency]) => dependency.restart && follow.has(name))) {
        follow.add(service.name);
        grew = true;
      }
    }
  }
  return startOrder(services).filter((service) => follow.has(service.name) && !restarted.includes(service.name));
}

/** What the service waits for at start, by dependency: the control API's `dependsOn` (the graph the dashboard draws). */
export function dependencyConditions(service: Pick<Service, "depends_on">): Record<string, "started" | "healthy"> {
  return Object.fromEntries(Object.entries(service.depends_on).map(([name, { condition }]) => [name, condition]));
}
