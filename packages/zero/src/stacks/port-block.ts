import { createHash } from "node:crypto";
import { ZeroError } from "../errors/zero-error.js";
import { isPortFree } from "../ports/check.js";
import { referencesIn } from "../stack/interpolate.js";
import type { StackFile } from "../stack/load.js";

/** Blocks of BLOCK_SIZE ports from FIRST_PORT, below Linux's ephemeral range (32768+) so outgoing connections do not take them. */
const FIRST_PORT = 20_000;
const BLOCK_SIZE = 20;
const BLOCKS = Math.floor((32_000 - FIRST_PORT) / BLOCK_SIZE);

/** Every port variable of stack.yaml, of every profile, in file order: a checkout's block holds them all, so another profile never collides. */
export function portVariables(file: StackFile): string[] {
  const services = (file.raw.services ?? {}) as Record<string, { ports?: Record<string, unknown> }>;
  const names = Object.values(services).flatMap((service) =>
    Object.values(service.ports ?? {}).flatMap((port) => referencesIn(port).map((reference) => reference.variable)),
  );
  return [...new Set(names)];
}

/** Where a checkout's search starts: the same folder always starts at the same block. */
export function firstBlock(root: string): number {
  return createHash("sha256").update(root).digest().readUInt32BE(0) % BLOCKS;
}

/**
 * The checkout's own block: the first one from its hash whose ports are all free and claimed by no other stack.
 * Returns one port per variable (the variable's place in stack.yaml is its offset in the block).
 */
export async function chooseBlock(
  root: string,
  variables: string[],
  claimed: Set<number>,
): Promise<Record<string, number>> {
  if (variables.length > BLOCK_SIZE) {
    throw new ZeroError(
      "ZERO_PORT_IN_USE",
      `stack.yaml has ${variables.length} port variables; a checkout's own block holds ${BLOCK_SIZE}.`,
      {
        next: "Set this checkout's ports in .env by hand, or run `make dev auto_ports=1`.",
      },
    );
  }
  const start = firstBlock(root);
  for (let step = 0; step < BLOCKS; step++) {
    const base = FIRST_PORT + ((start + step) % BLOCKS) * BLOCK_SIZE;
    const ports = variables.map((_, index) => base + index);
    if (ports.some((port) => claimed.has(port))) continue;
    if ((await Promise.all(ports.map((port) => isPortFree(port)))).every(Boolean)) {
      return Object.fromEntries(variables.map((variable, index) => [variable, ports[index]!]));
    }
  }
  throw new ZeroError(
    "ZERO_PORT_IN_USE",
    `No block of ${variables.length} free ports between ${FIRST_PORT} and ${FIRST_PORT + BLOCKS * BLOCK_SIZE} for this checkout.`,
    {
      next: "Stop a stack you no longer need (`make stacks` lists them), or run `make dev auto_ports=1`.",
    },
  );
}
