import type { Booking } from "./schemas.js";

/** A pencil/confirmed booking would overlap another for the same artist (the exclusion constraint said no). */
export class BookingConflictError extends Error {
  readonly statusCode = 409;
  readonly code = "BOOKING_CONFLICT";
  constructor(readonly conflict: Booking | null) {
    super(conflict
      ? `The artist is already booked (${conflict.status}) from ${conflict.startsAt} to ${conflict.endsAt}`
      : "The artist is already booked for part of this period");
    this.name = "BookingConflictError";
  }
}

/** Input that is well-formed but wrong for this data (an artist of another tenant); answered 400 with the field. */
export class FieldError extends Error {
  readonly statusCode = 400;
  readonly code = "FST_ERR_VALIDATION";
  constructor(readonly field: string, message: string) {
    super(`${field} ${message}`);
    this.name = "FieldError";
  }
}
