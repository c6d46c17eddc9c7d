import { STATUS_CODES } from "node:http";
import type { FastifyError, FastifyInstance } from "fastify";

// Logs every failure in full but answers 5xx with a generic message, so internals (SQL, hosts, stack traces)
// never reach a client; 4xx keep their message because it tells the caller what to fix.
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const statusCode = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (statusCode >= 500) {
      request.log.error({ err: error }, "request failed");
      return reply.code(statusCode).send({
        statusCode,
        error: STATUS_CODES[statusCode],
        message: "Something went wrong; see the API log for this request id",
        requestId: request.id,
      });
    }
    request.log.info({ err: error }, "request rejected");
    return reply.code(statusCode).send({ statusCode, code: error.code, error: STATUS_CODES[statusCode], message: error.message, ...clientDetails(error) });
  });
}

// What a 4xx body adds so the caller can fix the request: each bad field (from zod validation or a FieldError),
// or the booking that a double booking ran into.
function clientDetails(error: FastifyError & { field?: string; conflict?: unknown }): Record<string, unknown> {
  if (error.validation) {
    const where = error.validationContext ?? "body";
    const fields = error.validation.map((issue) => ({
      field: [where, ...issue.instancePath.split("/").filter(Boolean)].join("."),
      message: issue.message ?? "is invalid",
    }));
    return { fields };
  }
  if (error.field) return { fields: [{ field: `body.${error.field}`, message: error.message.slice(error.field.length + 1) }] };
  if ("conflict" in error) return { conflict: error.conflict };
  return {};
}
