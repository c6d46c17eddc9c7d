// The defence against DNS rebinding, shared by the API, the supervisor's control API and the dashboard's
// control proxy: a page whose domain re-resolves to 127.0.0.1 still sends its own name in `Host`, so
// anything but a loopback name (or a local domain the developer configured) is refused, as Vite's
// `server.allowedHosts` does.

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1"]);

/**
 * "a.test,.dev.test" → ["a.test", ".dev.test"]: exact names, or with a leading dot a domain and its
 * subdomains (Vite's notation). Empty or unset: loopback names only.
 */
export function parseAllowedHosts(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean);
}

/** The name in a Host header without its port: "[::1]:3000" → "::1", "Localhost:80" → "localhost". */
export function hostName(header: string): string {
  const value = header.trim().toLowerCase();
  if (value.startsWith("[")) return value.slice(1, value.indexOf("]"));
  const colon = value.lastIndexOf(":");
  return colon === -1 ? value : value.slice(0, colon);
}

/** An IPv4 or IPv6 address rather than a name (hostName strips IPv6's brackets: only addresses keep a colon). */
function isAddress(name: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.includes(":");
}

/**
 * True for a loopback name, `*.localhost`, an IP address, or one of the configured local domains; false without a
 * Host. An address is safe: rebinding needs a DNS name the attacker controls, and the address is what a container
 * or Kubernetes probe sends (Host: <pod IP>:3001), as Vite also allows.
 */
export function isAllowedHost(header: string | undefined, allowed: readonly string[] = []): boolean {
  if (!header) return false;
  const name = hostName(header);
  if (LOOPBACK.has(name) || name.endsWith(".localhost") || isAddress(name)) return true;
  return allowed.some((entry) =>
    entry.startsWith(".") ? name === entry.slice(1) || name.endsWith(entry) : name === entry,
  );
}
