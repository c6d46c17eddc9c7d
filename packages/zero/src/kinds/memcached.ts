import type { KindDefinition } from "./kind.js";

/**
 * Memcached: an in-memory cache without a password (memcached has none without SASL), so natively it listens on
 * 127.0.0.1 only and over TCP only (UDP off); in containers on the stack's network, published on 127.0.0.1.
 */
export const memcachedKind: KindDefinition = {
  description: "Memcached cache (natively the OS's memcached on 127.0.0.1; in containers the memcached image on 11211)",
  requires: { mainPort: true },
  connection: { label: "Memcached", url: (service, host) => `${host}:${service.ports.main}` },
  native: {
    driver: "os-program",
    program: {
      command: "memcached",
      packages: { apt: "memcached", brew: "memcached", dnf: "memcached" },
      // -u applies only when started as root (memcached refuses to run as root).
      args: (service) => ["-l", "127.0.0.1", "-p", String(service.ports.main), "-U", "0", "-m", "64", "-u", "nobody"],
    },
  },
  container: {
    // The image's own command listens on 11211 as its memcache user (uid 11211).
    image: { variable: "MEMCACHED_IMAGE", default: "memcached:1.6-bookworm" },
    commandFromImage: true,
    uid: 11211,
    limits: { memory: "128m", cpus: 0.5 },
    probeTool: "shell",
  },
};
