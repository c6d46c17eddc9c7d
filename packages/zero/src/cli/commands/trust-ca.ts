import { join, relative, sep } from "node:path";
import type { Project } from "../../config/project.js";
import { changeTrust } from "../../https/trust.js";
import { nssDatabases } from "../../https/trust-stores.js";
import { colors as pc, type Output } from "../output.js";

/**
 * `zero trust-ca` / `zero untrust-ca` (make trust-ca, make untrust-ca): the stack's local CA in or out of the
 * system and browser trust stores, printing each entry that changed and how to undo it.
 */
export function trustCa(action: "install" | "uninstall") {
  return async (project: Project, out: Output): Promise<number> => {
    const change = await changeTrust(project.home, action);
    const shown = (path: string) => (path.startsWith(project.root + sep) ? relative(project.root, path) : path);
    for (const line of change.report) out.line(pc.dim(`  mkcert: ${line}`));
    out.line(`${pc.green("✔")} ${action === "install" ? "Trusted" : "No longer trusted"}: ${change.ca.subject}`);
    out.line(`  certificate  ${shown(change.ca.path)} (SHA-256 ${change.ca.fingerprint})`);
    const changed = [
      ...change.added.map((entry) => `+ added to ${entry}`),
      ...change.removed.map((entry) => `- removed from ${entry}`),
    ];
    if (changed.length === 0)
      out.line(
        `  changed      nothing (${action === "install" ? "already trusted" : "was not trusted"} in the stores zero can see)`,
      );
    for (const [i, entry] of changed.entries()) out.line(`  ${i === 0 ? "changed     " : "            "} ${entry}`);
    const browsers = !process.env.TRUST_STORES || process.env.TRUST_STORES.includes("nss"); // mkcert's own store filter
    if (action === "install" && browsers && nssDatabases().length === 0) {
      out.line(
        `  ${pc.yellow("note")}         no NSS database (${join("~", ".pki", "nssdb")}) yet: Chromium and Firefox create theirs on first start; run make trust-ca again after that`,
      );
    }
    const undo = action === "install" ? "make untrust-ca" : "make trust-ca";
    out.line(
      `  undo         ${undo}  (or: CAROOT=${shown(change.caroot)} mkcert -${action === "install" ? "uninstall" : "install"})`,
    );
    return 0;
  };
}
