import type { Artist, Booking, Project } from "./schemas.js";

// Database rows (snake_case, Date) to API objects (camelCase, ISO strings).

export const ARTIST_COLUMNS = "id, name, discipline, email, day_rate";
export const PROJECT_COLUMNS = "id, name, client, status";
export const BOOKING_COLUMNS = "id, artist_id, project_id, status, starts_at, ends_at, notes, created_at, updated_at";

export function toArtist(row: Record<string, any>): Artist {
  return { id: row.id, name: row.name, discipline: row.discipline, email: row.email, dayRate: row.day_rate };
}

export function toProject(row: Record<string, any>): Project {
  return { id: row.id, name: row.name, client: row.client, status: row.status };
}

export function toBooking(row: Record<string, any>): Booking {
  return {
    id: row.id,
    artistId: row.artist_id,
    projectId: row.project_id,
    status: row.status,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
    notes: row.notes,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
