import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isClientGone } from '../csv-writer.ts';

/**
 * Sends a CSV export as a download. The stream is made by `open` and piped as the client reads; when the
 * client goes away Fastify destroys it, which ends the reads behind it (keyset-pages.ts). That is logged
 * at debug, not as a failure; any other failure mid-stream is logged here (the status is sent by then, so
 * the response is cut short rather than turned into a 500 the client would never see whole).
 */
export function sendCsvDownload(
  request: FastifyRequest,
  reply: FastifyReply,
  filename: string,
  open: (onError: (error: Error) => void) => Readable,
): FastifyReply {
  const stream = open((error) => {
    if (isClientGone(error)) request.log.debug({ filename }, 'CSV export stopped: the client went away');
    else request.log.error({ err: error, filename }, 'CSV export failed');
  });
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'no-store')
    .send(stream);
}
