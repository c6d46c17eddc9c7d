import type pg from "pg";
import type { AvailabilityCache } from "../../domain/availability.js";
import type { createTenantResolver } from "./tenant.js";

/** What every /api/v1 route module gets: its own file, so the routes and their index do not import each other. */
export type DomainContext = {
  pool: pg.Pool;
  tenant: ReturnType<typeof createTenantResolver>;
  availability: AvailabilityCache;
};
