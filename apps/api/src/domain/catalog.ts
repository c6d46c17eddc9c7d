import type pg from "pg";
import { ARTIST_COLUMNS, PROJECT_COLUMNS, toArtist, toProject } from "./rows.js";
import type { Artist, Project } from "./schemas.js";

// Read-only lists of a tenant's artists and projects.

export async function listArtists(pool: pg.Pool, tenantId: string): Promise<Artist[]> {
  const result = await pool.query(`select ${ARTIST_COLUMNS} from artists where tenant_id = $1 order by name, id`, [tenantId]);
  return result.rows.map(toArtist);
}

export async function getArtist(pool: pg.Pool, tenantId: string, id: string): Promise<Artist | undefined> {
  const result = await pool.query(`select ${ARTIST_COLUMNS} from artists where tenant_id = $1 and id = $2`, [tenantId, id]);
  return result.rows[0] ? toArtist(result.rows[0]) : undefined;
}

export async function listProjects(pool: pg.Pool, tenantId: string): Promise<Project[]> {
  const result = await pool.query(`select ${PROJECT_COLUMNS} from projects where tenant_id = $1 order by name, id`, [tenantId]);
  return result.rows.map(toProject);
}

export async function getProject(pool: pg.Pool, tenantId: string, id: string): Promise<Project | undefined> {
  const result = await pool.query(`select ${PROJECT_COLUMNS} from projects where tenant_id = $1 and id = $2`, [tenantId, id]);
  return result.rows[0] ? toProject(result.rows[0]) : undefined;
}

/** The tenant's id for a slug, or undefined for an unknown studio. */
export async function findTenantId(pool: pg.Pool, slug: string): Promise<string | undefined> {
  const result = await pool.query<{ id: string }>("select id from tenants where slug = $1", [slug]);
  return result.rows[0]?.id;
}
