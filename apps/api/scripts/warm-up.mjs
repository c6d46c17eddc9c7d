// Run by a spare server host (scripts/server-host.mjs) while the developer edits: a small throwaway Fastify app with
// the API's validator, serializer and CORS answers one request in memory, so that V8 has compiled the code every
// start and first request run in those packages before a restart needs it (a restart's start: ~105 → ~75 ms of CPU).
// Nothing listens or connects, and the app is closed again; the API's own code is not run.

/**
 * `load(name)`: the pre-bundled package, by the URL the server bundle imports it from (scripts/vendor.mjs).
 * `wanted()`: false once the restart has come; the warm-up then stops at its next step instead of delaying it.
 */
export async function warmUp(load, wanted = () => true) {
  const [{ default: Fastify }, provider, { default: cors }, { z }] = await Promise.all(
    ["fastify", "fastify-type-provider-zod", "@fastify/cors", "zod"].map(load),
  );
  if (!wanted()) return;
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(provider.validatorCompiler);
  app.setSerializerCompiler(provider.serializerCompiler);
  await app.register(cors, { origin: ["http://127.0.0.1"] });
  if (!wanted()) return app.close();
  const schema = { params: z.object({ id: z.string() }), response: { 200: z.object({ status: z.literal("ok") }) } };
  app.get("/warm-up/:id", { schema }, async () => ({ status: "ok" }));
  const answer = await app.inject({ method: "GET", url: "/warm-up/1", headers: { origin: "http://127.0.0.1" } });
  await app.close();
  if (answer.statusCode !== 200) throw new Error(`the warm-up's request answered ${answer.statusCode}: ${answer.body}`);
}
