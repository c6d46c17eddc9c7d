import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { createBooking, getBooking, listBookings, updateBooking } from "../../domain/bookings.js";
import { booking, bookingQuery, conflict, createBooking as createInput, idParams, notFound, tenantHeaders, updateBooking as updateInput } from "../../domain/schemas.js";
import type { DomainContext } from "./context.js";
import { httpError } from "./tenant.js";

const writeResponses = { 404: notFound, 409: conflict };

export const bookingRoutes: FastifyPluginAsyncZod<DomainContext> = async (app, { pool, tenant, availability }) => {
  app.get(
    "/bookings",
    { schema: { summary: "The studio's bookings, filtered", tags: ["bookings"], headers: tenantHeaders, querystring: bookingQuery, response: { 200: z.array(booking) } } },
    async (request) => listBookings(pool, await tenant(request), request.query),
  );

  app.get(
    "/bookings/:id",
    { schema: { summary: "One booking", tags: ["bookings"], headers: tenantHeaders, params: idParams, response: { 200: booking, 404: notFound } } },
    async (request) => {
      const found = await getBooking(pool, await tenant(request), request.params.id);
      if (!found) throw httpError(404, `There is no booking ${request.params.id} in this studio`);
      return found;
    },
  );

  app.post(
    "/bookings",
    {
      schema: {
        summary: "Book an artist (409 with the conflicting booking when a pencil/confirmed booking overlaps)",
        tags: ["bookings"],
        headers: tenantHeaders,
        body: createInput,
        response: { 201: booking, 409: conflict },
      },
    },
    async (request, reply) => {
      const tenantId = await tenant(request);
      const created = await createBooking(pool, tenantId, request.body);
      await availability.invalidate(tenantId, created.artistId);
      return reply.code(201).send(created);
    },
  );

  app.patch(
    "/bookings/:id",
    {
      schema: { summary: "Change a booking's status, period, project or notes", tags: ["bookings"], headers: tenantHeaders, params: idParams, body: updateInput, response: { 200: booking, ...writeResponses } },
    },
    async (request) => change(await tenant(request), request.params.id, request.body),
  );

  app.post(
    "/bookings/:id/cancel",
    { schema: { summary: "Cancel a booking (kept for history; frees the artist)", tags: ["bookings"], headers: tenantHeaders, params: idParams, response: { 200: booking, 404: notFound } } },
    async (request) => change(await tenant(request), request.params.id, { status: "cancelled" }),
  );

  async function change(tenantId: string, id: string, input: Parameters<typeof updateBooking>[3]) {
    const updated = await updateBooking(pool, tenantId, id, input);
    if (!updated) throw httpError(404, `There is no booking ${id} in this studio`);
    await availability.invalidate(tenantId, updated.artistId);
    return updated;
  }
};
