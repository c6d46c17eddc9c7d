import { LogController, type FastifyReply, type FastifyRequest } from "fastify";

// Logs each request as one line with what an operator needs (method, url, statusCode, responseTime; the request
// id comes from the child logger) instead of Fastify's incoming/completed pair; the incoming line stays at debug.
export class RequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ method: request.method, url: request.url }, "incoming request");
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const fields = {
      method: request.method,
      url: request.url,
      statusCode: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (error) reply.log.error({ ...fields, err: error }, "request errored");
    else reply.log.info(fields, "request completed");
  }
}
