import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { getProject, listProjects } from "../../domain/catalog.js";
import { idParams, notFound, project, tenantHeaders } from "../../domain/schemas.js";
import type { DomainContext } from "./context.js";
import { httpError } from "./tenant.js";

export const projectRoutes: FastifyPluginAsyncZod<DomainContext> = async (app, { pool, tenant }) => {
  app.get(
    "/projects",
    { schema: { summary: "The studio's projects", tags: ["projects"], headers: tenantHeaders, response: { 200: z.array(project) } } },
    async (request) => listProjects(pool, await tenant(request)),
  );

  app.get(
    "/projects/:id",
    { schema: { summary: "One project", tags: ["projects"], headers: tenantHeaders, params: idParams, response: { 200: project, 404: notFound } } },
    async (request) => {
      const found = await getProject(pool, await tenant(request), request.params.id);
      if (!found) throw httpError(404, `There is no project ${request.params.id} in this studio`);
      return found;
    },
  );
};
