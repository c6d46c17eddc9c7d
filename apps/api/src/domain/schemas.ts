import { z } from "zod";

// The /api/v1 shapes: zod validates input and serialises output, and the OpenAPI document is generated from them.

const id = z.uuid();
const instant = z.iso.datetime({ offset: true }).describe("ISO 8601 date and time, e.g. 2026-11-23T09:00:00Z");

export const bookingStatus = z.enum(["hold", "pencil", "confirmed", "cancelled"]);

export const artist = z.object({
  id,
  name: z.string(),
  discipline: z.string(),
  email: z.string().nullable(),
  dayRate: z.number().int().nullable().describe("Day rate in whole currency units"),
});

export const project = z.object({
  id,
  name: z.string(),
  client: z.string(),
  status: z.enum(["active", "wrapped"]),
});

export const booking = z.object({
  id,
  artistId: id,
  projectId: id,
  status: bookingStatus,
  startsAt: instant,
  endsAt: instant,
  notes: z.string().nullable(),
  createdAt: instant,
  updatedAt: instant,
});

export const idParams = z.object({ id });

const period = z.object({ startsAt: z.coerce.date(), endsAt: z.coerce.date() });
const endsAfterStart = (value: { startsAt?: Date; endsAt?: Date }, ctx: z.RefinementCtx) => {
  if (value.startsAt && value.endsAt && value.endsAt <= value.startsAt) {
    ctx.addIssue({ code: "custom", path: ["endsAt"], message: "must be after startsAt" });
  }
};

export const createBooking = z
  .object({
    artistId: id,
    projectId: id,
    status: z.enum(["hold", "pencil", "confirmed"]).default("hold").describe("hold may overlap anything; pencil and confirmed may not overlap each other"),
    ...period.shape,
    notes: z.string().max(2000).optional(),
  })
  .superRefine(endsAfterStart);

export const updateBooking = z
  .object({
    projectId: id,
    status: bookingStatus,
    ...period.shape,
    notes: z.string().max(2000).nullable(),
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, "give at least one field to change")
  .superRefine(endsAfterStart);

export const bookingQuery = z.object({
  artistId: id.optional(),
  projectId: id.optional(),
  status: bookingStatus.optional(),
  from: z.coerce.date().optional().describe("Only bookings ending after this instant"),
  to: z.coerce.date().optional().describe("Only bookings starting before this instant"),
});

export const availabilityQuery = z
  .object({ from: z.coerce.date(), to: z.coerce.date() })
  .superRefine((value, ctx) => {
    if (value.to <= value.from) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
  });

export const availability = z.object({
  artistId: id,
  from: instant,
  to: instant,
  available: z.boolean().describe("true when no pencil or confirmed booking overlaps the period"),
  blocking: z.array(booking).describe("Pencil and confirmed bookings overlapping the period"),
  holds: z.array(booking).describe("Holds overlapping the period (they do not block)"),
});

export const tenantHeaders = z.object({
  "x-tenant": z.string().optional().describe("The studio (tenant slug, e.g. northlight); defaults to DEFAULT_TENANT"),
});

export const notFound = z.object({ statusCode: z.literal(404), error: z.string(), message: z.string() });
export const conflict = z.object({
  statusCode: z.literal(409),
  code: z.literal("BOOKING_CONFLICT"),
  error: z.string(),
  message: z.string(),
  conflict: booking.nullable().describe("The pencil or confirmed booking that already holds the artist"),
});

export type Artist = z.infer<typeof artist>;
export type Project = z.infer<typeof project>;
export type Booking = z.infer<typeof booking>;
export type CreateBooking = z.infer<typeof createBooking>;
export type UpdateBooking = z.infer<typeof updateBooking>;
export type BookingQuery = z.infer<typeof bookingQuery>;
