/** `${VAR}` / `${VAR:-default}` / `$${literal}`, as in Docker Compose. */
const pattern = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface InterpolationResult<T> {
  value: T;
  /** Variables referenced without a default that have no value. */
  missing: Set<string>;
  /** Every variable referenced, for `zero config` and port checks. */
  used: Set<string>;
}

/** Replaces variable references in every string of a parsed YAML document. */
export function interpolate<T>(value: T, variables: Record<string, string | undefined>): InterpolationResult<T> {
  const missing = new Set<string>();
  const used = new Set<string>();
  const replaceIn = (text: string) =>
    text.replace(pattern, (match, name: string | undefined, fallback: string | undefined) => {
      if (match === "$$") return "$";
      used.add(name!);
      const found = variables[name!];
      if (found !== undefined && found !== "") return found;
      if (fallback !== undefined) return fallback;
      missing.add(name!);
      return "";
    });
  const walk = (node: unknown): unknown => {
    if (typeof node === "string") return replaceIn(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, walk(child)]));
    }
    return node;
  };
  return { value: walk(value) as T, missing, used };
}
