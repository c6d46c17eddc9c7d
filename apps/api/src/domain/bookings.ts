import type pg from "pg";
import { BookingConflictError, FieldError } from "./errors.js";
import { BOOKING_COLUMNS, toBooking } from "./rows.js";
import type { Booking, BookingQuery, CreateBooking, UpdateBooking } from "./schemas.js";

const EXCLUSION_VIOLATION = "23P01";
const FOREIGN_KEY_VIOLATION = "23503";
const CHECK_VIOLATION = "23514";

export async function listBookings(pool: pg.Pool, tenantId: string, query: BookingQuery): Promise<Booking[]> {
  const result = await pool.query(
    `select ${BOOKING_COLUMNS} from bookings
     where tenant_id = $1
       and ($2::uuid is null or artist_id = $2) and ($3::uuid is null or project_id = $3)
       and ($4::booking_status is null or status = $4)
       and ($5::timestamptz is null or ends_at > $5) and ($6::timestamptz is null or starts_at < $6)
     order by starts_at, id limit 500`,
    [tenantId, query.artistId ?? null, query.projectId ?? null, query.status ?? null, query.from ?? null, query.to ?? null],
  );
  return result.rows.map(toBooking);
}

export async function getBooking(pool: pg.Pool, tenantId: string, id: string): Promise<Booking | undefined> {
  const result = await pool.query(`select ${BOOKING_COLUMNS} from bookings where tenant_id = $1 and id = $2`, [tenantId, id]);
  return result.rows[0] ? toBooking(result.rows[0]) : undefined;
}

export async function createBooking(pool: pg.Pool, tenantId: string, input: CreateBooking): Promise<Booking> {
  return translate(pool, tenantId, { artistId: input.artistId, startsAt: input.startsAt, endsAt: input.endsAt }, async () => {
    const result = await pool.query(
      `insert into bookings (tenant_id, artist_id, project_id, status, starts_at, ends_at, notes)
       values ($1, $2, $3, $4, $5, $6, $7) returning ${BOOKING_COLUMNS}`,
      [tenantId, input.artistId, input.projectId, input.status, input.startsAt, input.endsAt, input.notes ?? null],
    );
    return toBooking(result.rows[0]);
  });
}

/** Changes the given fields; undefined when there is no such booking in the tenant. */
export async function updateBooking(pool: pg.Pool, tenantId: string, id: string, input: UpdateBooking): Promise<Booking | undefined> {
  const current = await getBooking(pool, tenantId, id);
  if (!current) return undefined;
  const period = { artistId: current.artistId, startsAt: input.startsAt ?? current.startsAt, endsAt: input.endsAt ?? current.endsAt, excludeId: id };
  return translate(pool, tenantId, period, async () => {
    const result = await pool.query(
      `update bookings set
         project_id = coalesce($3, project_id), status = coalesce($4, status),
         starts_at = coalesce($5, starts_at), ends_at = coalesce($6, ends_at),
         notes = case when $7::boolean then $8 else notes end, updated_at = now()
       where tenant_id = $1 and id = $2 returning ${BOOKING_COLUMNS}`,
      [tenantId, id, input.projectId ?? null, input.status ?? null, input.startsAt ?? null, input.endsAt ?? null, input.notes !== undefined, input.notes ?? null],
    );
    return result.rows[0] ? toBooking(result.rows[0]) : undefined;
  });
}

// Turns constraint violations into answers the caller can act on: 409 naming the booking in the way, 400 naming the field.
interface Period {
  artistId: string;
  startsAt: Date | string;
  endsAt: Date | string;
  /** The booking being changed, which does not conflict with itself. */
  excludeId?: string;
}

async function translate<T>(pool: pg.Pool, tenantId: string, period: Period, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === EXCLUSION_VIOLATION) throw new BookingConflictError(await findConflict(pool, tenantId, period));
    if (code === FOREIGN_KEY_VIOLATION && constraint?.includes("artist")) throw new FieldError("artistId", "is not an artist of this studio");
    if (code === FOREIGN_KEY_VIOLATION && constraint?.includes("project")) throw new FieldError("projectId", "is not a project of this studio");
    if (code === CHECK_VIOLATION && constraint === "bookings_period_check") throw new FieldError("endsAt", "must be after startsAt");
    throw error;
  }
}

// The pencil/confirmed booking that holds the artist for part of the period (first by start time).
async function findConflict(pool: pg.Pool, tenantId: string, period: Period): Promise<Booking | null> {
  const result = await pool.query(
    `select ${BOOKING_COLUMNS} from bookings
     where tenant_id = $1 and artist_id = $2 and status in ('pencil', 'confirmed') and id <> coalesce($5, '00000000-0000-0000-0000-000000000000'::uuid)
       and tstzrange(starts_at, ends_at, '[)') && tstzrange($3::timestamptz, $4::timestamptz, '[)')
     order by starts_at limit 1`,
    [tenantId, period.artistId, period.startsAt, period.endsAt, period.excludeId ?? null],
  );
  return result.rows[0] ? toBooking(result.rows[0]) : null;
}
