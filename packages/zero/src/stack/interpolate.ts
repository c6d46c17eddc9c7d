/**
 * Docker Compose-style variables: `${VAR}`, `${VAR:-default}` (default when unset or empty),
 * `${VAR-default}` (default only when unset), `$$` for a literal `$`. Defaults may themselves
 * contain variables; they are evaluated only when used.
 */
export interface InterpolationResult<T> {
  value: T;
  /** Variables referenced without a default that have no value. */
  missing: Set<string>;
  /** Every variable evaluated, for `zero config` and port checks. */
  used: Set<string>;
}

type Variables = Record<string, string | undefined>;

/** Replaces variable references in every string of a parsed YAML document. */
export function interpolate<T>(value: T, variables: Variables): InterpolationResult<T> {
  const missing = new Set<string>();
  const used = new Set<string>();
  const walk = (node: unknown): unknown => {
    if (typeof node === "string") return expand(node, variables, missing, used);
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, walk(child)]));
    }
    return node;
  };
  return { value: walk(value) as T, missing, used };
}

function expand(text: string, variables: Variables, missing: Set<string>, used: Set<string>): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "$") {
      out += text[i];
      continue;
    }
    if (text[i + 1] === "$") {
      out += "$";
      i++;
      continue;
    }
    const end = text[i + 1] === "{" ? closingBrace(text, i + 2) : -1;
    const reference = end > 0 ? /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([\s\S]*))?$/.exec(text.slice(i + 2, end)) : null;
    if (!reference) {
      out += "$"; // not a reference: keep it as written
      continue;
    }
    const [, name, operator, fallback] = reference as unknown as [string, string, string | undefined, string | undefined];
    used.add(name);
    const found = variables[name];
    const useDefault = operator === ":-" ? found === undefined || found === "" : operator === "-" ? found === undefined : false;
    if (useDefault) out += expand(fallback ?? "", variables, missing, used);
    else if (found !== undefined && (found !== "" || operator === "-")) out += found;
    else if (operator === undefined) missing.add(name);
    i = end;
  }
  return out;
}

/** Index of the `}` closing the `${` whose content starts at `from`, honouring nesting; -1 if none. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}
