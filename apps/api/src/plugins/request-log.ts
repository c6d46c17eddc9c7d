import { LogController, type FastifyReply, type FastifyRequest } from "fastify";

// Logs each request as one line with what an operator needs (method, url, statusCode, responseTime; the request
// id comes from the child logger) instead of Fastify's incoming/completed pair; the incoming line stays at debug.
// Routine polling that succeeds (zero's supervisor and Docker check /health/ready every 2 s, Prometheus scrapes
// /metrics) is logged at debug too, or `make logs service=api` would be mostly health checks; a failing one is not.
const POLLED = /^\/(health|metrics)(\/|\?|$)/;

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
    else if (reply.statusCode < 400 && POLLED.test(request.url)) reply.log.debug(fields, "request completed");
    else reply.log.info(fields, "request completed");
  }
}
