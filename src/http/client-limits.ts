import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';

/** The reference's error format for answers Node gives before Fastify sees a request. */
function errorBody(message: string): string {
  return JSON.stringify({ success: false, error: { code: 'VALIDATION_ERROR', message } });
}

/**
 * Fastify's `clientErrorHandler`: a request Node could not parse (headers over 16 KiB, headers not sent
 * within the request timeout, garbage) is answered in the API's error format instead of Fastify's
 * own `{"error","message","statusCode"}`, then the connection is closed as Node would.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset or already destroyed connection has no one left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'The request headers are too large (16 KiB at most)']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'The request was not received in time']
        : [400, 'The request is not valid HTTP'];
  const body = errorBody(message);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * Node's requestTimeout stops counting once a request's headers are in, so a body dripped a byte at a
 * time held its socket until the idle timeouts (about 65 s) instead of the documented 30 s. Each
 * request still sending its body gets its own deadline, `timeoutMs` from its headers: when it passes,
 * the body read fails with 408 in the error format and the connection is closed after the answer.
 */
export function installBodyDeadline(app: FastifyInstance, timeoutMs: number): void {
  app.addHook('onRequest', (request, reply, done) => {
    const raw = request.raw;
    // A request without a body (or a body already in) is whole: nothing to watch, no timer on the tracker's path.
    if (raw.complete || (raw.headers['content-length'] === undefined && raw.headers['transfer-encoding'] === undefined))
      return done();
    const timer = setTimeout(() => {
      if (raw.complete || raw.destroyed) return;
      reply.header('connection', 'close');
      const error = new AppError(
        'VALIDATION_ERROR',
        `The request body was not received within ${Math.round(timeoutMs / 1000)} s`,
        undefined,
        408,
      );
      // The body parser listens for errors on the request: it answers through the error handler.
      if (raw.listenerCount('error') > 0) raw.emit('error', error);
      else raw.socket.destroy();
    }, timeoutMs);
    timer.unref();
    const clear = () => clearTimeout(timer);
    raw.once('end', clear);
    raw.once('close', clear);
    reply.raw.once('close', clear);
    done();
  });
}
