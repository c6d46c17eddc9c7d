import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Redis } from "ioredis";
import type pg from "pg";
import { AvailabilityCache } from "../../domain/availability.js";
import { artistRoutes } from "./artists.js";
import { bookingRoutes } from "./bookings.js";
import { projectRoutes } from "./projects.js";
import { createTenantResolver } from "./tenant.js";

export interface DomainRoutesOptions {
  pool: pg.Pool;
  /** Absent without REDIS_URL: availability is then read from PostgreSQL every time. */
  redis: Redis | undefined;
  defaultTenant: string | undefined;
}

// The sample domain under /api/v1: a studio's artists, projects and bookings (docs/database.md).
export const domainRoutes: FastifyPluginAsyncZod<DomainRoutesOptions> = async (app, options) => {
  const context = {
    pool: options.pool,
    tenant: createTenantResolver(options.pool, options.defaultTenant),
    availability: new AvailabilityCache(options.pool, options.redis, app.log),
  };
  await app.register(artistRoutes, context);
  await app.register(projectRoutes, context);
  await app.register(bookingRoutes, context);
};

export type { DomainContext } from "./context.js";
