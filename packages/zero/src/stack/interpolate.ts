/**
 * The one `${…}` implementation (Docker Compose syntax): `${VAR}`, `${VAR:-default}` (default when unset or
 * empty), `${VAR-default}` (default only when unset), `$$` for a literal `$`. Defaults may themselves contain
 * variables; they are evaluated only when used. Every reference is recorded with where it was, which variable
 * and default it had and what it produced, so no consumer needs to parse the raw YAML again.
 */
export interface InterpolationResult<T> {
  value: T;
  /** Variables referenced without a default that have no value. */
  missing: Set<string>;
  /** Every variable evaluated, for `zero config` and port checks. */
  used: Set<string>;
  /** Every reference evaluated, in document order (those inside a used default too). */
  references: Reference[];
}

/** One `${…}` as evaluated. */
export interface Reference {
  /** Where in the document, e.g. "services.api.ports.http". */
  path: string;
  variable: string;
  /** The default as evaluated, when the default was used. */
  default?: string;
  /** What produced the value: the variable, its default, or nothing (a missing variable). */
  from: "variable" | "default" | "missing";
  value: string;
  /** The reference is the whole string (e.g. `${API_PORT:-3001}`), so the field's value is exactly its value. */
  whole: boolean;
  /** Nested inside another reference's default. */
  nested: boolean;
}

type Variables = Record<string, string | undefined>;

interface Collect {
  missing: Set<string>;
  used: Set<string>;
  references: Reference[];
}

/** Replaces variable references in every string of a parsed YAML document. */
export function interpolate<T>(value: T, variables: Variables): InterpolationResult<T> {
  const collect: Collect = { missing: new Set(), used: new Set(), references: [] };
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === "string") return expand(node, variables, collect, path, false);
    if (Array.isArray(node)) return node.map((child, i) => walk(child, `${path}.${i}`));
    if (node && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, walk(child, path ? `${path}.${key}` : key)]));
    }
    return node;
  };
  return { value: walk(value, "") as T, ...collect };
}

/** The variables a value refers to, at their stack.yaml defaults (e.g. the API_PORT of `${API_PORT:-3001}`). */
export function referencesIn(value: unknown): Reference[] {
  return interpolate(value, {}).references;
}

function expand(text: string, variables: Variables, collect: Collect, path: string, nested: boolean): string {
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
    collect.used.add(name);
    const found = variables[name];
    const useDefault = operator === ":-" ? found === undefined || found === "" : operator === "-" ? found === undefined : false;
    const record: Reference = { path, variable: name, from: "variable", value: "", whole: i === 0 && end === text.length - 1, nested };
    collect.references.push(record);
    if (useDefault) {
      record.from = "default";
      record.default = record.value = expand(fallback ?? "", variables, collect, path, true);
    } else if (found !== undefined && (found !== "" || operator === "-")) {
      record.value = found;
    } else if (operator === undefined) {
      record.from = "missing";
      collect.missing.add(name);
    }
    out += record.value;
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
