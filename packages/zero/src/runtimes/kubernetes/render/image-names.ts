import type { ContainerFacts } from "./container-facts.js";

/** The tag of images built locally from the Dockerfile's production stages. */
export const LOCAL_TAG = "local";

/** A service's image as built here (its local tag) or as stack.yaml names it. */
export function localImage(facts: ContainerFacts): string {
  return facts.image.built ? `${facts.image.reference}:${LOCAL_TAG}` : facts.image.reference;
}
