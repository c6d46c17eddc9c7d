import type { FastifyBaseLogger } from "fastify";
import type { Redis } from "ioredis";
import type pg from "pg";
import { BOOKING_COLUMNS, toBooking } from "./rows.js";
import type { Booking } from "./schemas.js";

const TTL_SECONDS = 300;

export interface Availability {
  artistId: string;
  from: string;
  to: string;
  available: boolean;
  blocking: Booking[];
  holds: Booking[];
}

/**
 * An artist's availability for a period, cache-aside in Redis: one hash per artist (a field per period asked for),
 * dropped whole by invalidate() whenever one of the artist's bookings changes, and expiring after 5 minutes as a
 * backstop for writes that bypass the API (make seed, reset-db). Without Redis, or when it fails, every read goes
 * to PostgreSQL: the cache may only make reads faster, never wrong or unavailable.
 */
export class AvailabilityCache {
  constructor(
    private readonly pool: pg.Pool,
    private readonly redis: Redis | undefined,
    private readonly log: FastifyBaseLogger,
  ) {}

  async read(tenantId: string, artistId: string, from: Date, to: Date): Promise<Availability> {
    const key = cacheKey(tenantId, artistId);
    const field = `${from.toISOString()}/${to.toISOString()}`;
    const cached = await this.attempt("read", () => this.redis!.hget(key, field));
    if (cached) {
      this.log.debug({ key, field }, "availability cache hit");
      return JSON.parse(cached) as Availability;
    }
    this.log.debug({ key, field }, "availability cache miss");
    const value = await this.query(tenantId, artistId, from, to);
    await this.attempt("write", () => this.redis!.multi().hset(key, field, JSON.stringify(value)).expire(key, TTL_SECONDS).exec());
    return value;
  }

  /** Forgets every cached period of the artist; called after each booking write. */
  async invalidate(tenantId: string, artistId: string): Promise<void> {
    const key = cacheKey(tenantId, artistId);
    await this.attempt("invalidate", () => this.redis!.del(key));
    this.log.debug({ key }, "availability cache invalidated");
  }

  private async query(tenantId: string, artistId: string, from: Date, to: Date): Promise<Availability> {
    const result = await this.pool.query(
      `select ${BOOKING_COLUMNS} from bookings
       where tenant_id = $1 and artist_id = $2 and status <> 'cancelled'
         and tstzrange(starts_at, ends_at, '[)') && tstzrange($3, $4, '[)')
       order by starts_at, id`,
      [tenantId, artistId, from, to],
    );
    const bookings = result.rows.map(toBooking);
    const blocking = bookings.filter((booking) => booking.status !== "hold");
    const holds = bookings.filter((booking) => booking.status === "hold");
    return { artistId, from: from.toISOString(), to: to.toISOString(), available: blocking.length === 0, blocking, holds };
  }

  private async attempt<T>(what: string, operation: () => Promise<T>): Promise<T | undefined> {
    if (!this.redis) return undefined;
    try {
      return await operation();
    } catch (error) {
      this.log.warn({ error: (error as Error).message }, `availability cache ${what} failed; using the database`);
      return undefined;
    }
  }
}

function cacheKey(tenantId: string, artistId: string): string {
  return `availability:${tenantId}:${artistId}`;
}
