import type { FastifyRequest } from "fastify";
import type pg from "pg";
import { findTenantId } from "../../domain/catalog.js";

// Tenancy kept simple: the studio is the X-Tenant header (a slug), or DEFAULT_TENANT when the header is absent.
// There is no authentication in this sample; a real app would take the tenant from the signed-in user.
export function createTenantResolver(pool: pg.Pool, defaultTenant: string | undefined) {
  return async (request: FastifyRequest): Promise<string> => {
    const header = request.headers["x-tenant"];
    const slug = (Array.isArray(header) ? header[0] : header) || defaultTenant;
    if (!slug) throw httpError(400, "Send an X-Tenant header with the studio's slug (no DEFAULT_TENANT is set)");
    const id = await findTenantId(pool, slug);
    if (!id) throw httpError(404, `There is no studio "${slug}"`);
    return id;
  };
}

export function httpError(statusCode: number, message: string): Error & { statusCode: number } {
  return Object.assign(new Error(message), { statusCode });
}
