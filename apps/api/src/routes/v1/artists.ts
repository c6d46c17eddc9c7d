import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { getArtist, listArtists } from "../../domain/catalog.js";
import { artist, availability, availabilityQuery, idParams, notFound, tenantHeaders } from "../../domain/schemas.js";
import type { DomainContext } from "./context.js";
import { httpError } from "./tenant.js";

export const artistRoutes: FastifyPluginAsyncZod<DomainContext> = async (app, { pool, tenant, availability: cache }) => {
  app.get(
    "/artists",
    { schema: { summary: "The studio's artists", tags: ["artists"], headers: tenantHeaders, response: { 200: z.array(artist) } } },
    async (request) => listArtists(pool, await tenant(request)),
  );

  app.get(
    "/artists/:id",
    { schema: { summary: "One artist", tags: ["artists"], headers: tenantHeaders, params: idParams, response: { 200: artist, 404: notFound } } },
    async (request) => {
      const found = await getArtist(pool, await tenant(request), request.params.id);
      if (!found) throw httpError(404, `There is no artist ${request.params.id} in this studio`);
      return found;
    },
  );

  app.get(
    "/artists/:id/availability",
    {
      schema: {
        summary: "Whether the artist is free for a period (cached in Redis, invalidated by booking writes)",
        tags: ["artists"],
        headers: tenantHeaders,
        params: idParams,
        querystring: availabilityQuery,
        response: { 200: availability, 404: notFound },
      },
    },
    async (request) => {
      const tenantId = await tenant(request);
      if (!(await getArtist(pool, tenantId, request.params.id))) throw httpError(404, `There is no artist ${request.params.id} in this studio`);
      return cache.read(tenantId, request.params.id, request.query.from, request.query.to);
    },
  );
};
