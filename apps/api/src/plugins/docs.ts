import swagger, { type StaticDocumentSpec } from "@fastify/swagger";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { jsonSchemaTransform } from "fastify-type-provider-zod";

const DOCS_PREFIX = "/docs";
// Hop-by-hop and length headers: the outer reply sets its own.
const NOT_FORWARDED = new Set(["connection", "content-length", "date", "keep-alive", "transfer-encoding"]);

// Publishes the OpenAPI document (built from the zod route schemas on its first request) at /openapi.json and a
// browsable UI at /docs. The UI (@fastify/swagger-ui with @fastify/static, send, glob, yaml: ~90 ms of CPU, a fifth of
// the server's start) loads on the first request to /docs, not at every start and hot-reload restart.
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: { title: "Zero-to-Running API", description: "Reference API of the Zero-to-Running stack", version: "0.1.0" },
    },
    transform: jsonSchemaTransform,
  });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  let ui: Promise<FastifyInstance> | undefined;
  const serveUi = async (request: FastifyRequest, reply: FastifyReply) => {
    ui ??= buildDocsUi(app).catch((error: unknown) => {
      ui = undefined; // the next request tries again
      throw error;
    });
    // Always GET: for a HEAD request, fastify drops the body and keeps its length.
    const answer = await (await ui).inject({ method: "GET", url: request.url, headers: request.headers });
    const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !NOT_FORWARDED.has(name)));
    return reply.code(answer.statusCode).headers(headers).send(answer.rawPayload);
  };
  app.get(DOCS_PREFIX, { schema: { hide: true } }, serveUi);
  app.get(`${DOCS_PREFIX}/*`, { schema: { hide: true } }, serveUi);
  app.addHook("onClose", async () => {
    if (ui) await (await ui.catch(() => undefined))?.close();
  });
}

/** The UI on its own (never listening) instance, showing the app's document: the app takes no routes once it listens. */
async function buildDocsUi(app: FastifyInstance): Promise<FastifyInstance> {
  const { default: swaggerUi } = await import("@fastify/swagger-ui");
  const ui = Fastify({ logger: false });
  // The app's own document as it serves it (an OpenAPI 3.1 type the static mode's type does not list).
  const document = app.swagger() as StaticDocumentSpec["document"];
  await ui.register(swagger, { mode: "static", specification: { document } });
  await ui.register(swaggerUi, { routePrefix: DOCS_PREFIX });
  await ui.ready();
  return ui;
}
