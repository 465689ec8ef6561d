import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../../http/auth.ts';
import { AppError } from '../../../../errors.ts';
import { inCampaignScope } from '../../../../campaign-scope.ts';
import { toClickEvent, type ClickEvent } from '../../../../modules/clicks/click.ts';
import { LIVE_FEED_ANNOUNCE_MS, type AppEvents } from '../../../../events.ts';

/** Also how often the feed tells the other nodes it is open (their clicks are relayed while it is). */
const HEARTBEAT_MS = LIVE_FEED_ANNOUNCE_MS;
/** A reader this far behind is not reading: it is dropped rather than buffered without end. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

const StreamQuery = Type.Object(
  { campaign_id: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })) },
  { additionalProperties: false },
);

/**
 * GET /api/v1/clicks/stream — Server-Sent Events of the caller's clicks as they are committed
 * (`event: click`) and re-judged by a later finding (`event: amended`). Authenticated like every
 * /api route, by the Authorization header (browsers read it with fetch, not EventSource). The
 * connection counts once against the rate limit; events do not.
 */
const clickStreamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { events, campaigns, accounts } = app.services;
  const open = new Set<ServerResponse>();
  // A stream never ends by itself: close them first, or a graceful shutdown would wait on them.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });

  app.get(
    '',
    {
      schema: {
        tags: ['Clicks'],
        summary:
          'Live feed of new clicks (Server-Sent Events; events `click` and `amended` carry the list shape with verdict and reasons)',
        querystring: StreamQuery,
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { userId, apiKeyId } = principal;
      const campaignId = request.query.campaign_id;
      if (campaignId !== undefined) await campaigns.get(userId, campaignId); // 404 for another account's campaign
      // A member limited to some campaigns hears only theirs (the guard already refused another campaign_id).
      const wanted = (row: { user_id: number; campaign_id: number }) =>
        row.user_id === userId &&
        (campaignId === undefined || row.campaign_id === campaignId) &&
        inCampaignScope(principal.campaignIds, row.campaign_id);

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      open.add(res);
      const send = (event: string, click: ClickEvent) => {
        if (res.writableLength > MAX_BUFFERED_BYTES) return res.end();
        res.write(`event: ${event}\nid: ${click.id}\ndata: ${JSON.stringify(click)}\n\n`);
      };
      const onRecorded = ({ clicks }: AppEvents['click.recorded']) => {
        for (const row of clicks) if (wanted(row)) send('click', toClickEvent(row));
      };
      const onAmended = ({ clicks }: AppEvents['click.amended']) => {
        for (const { after } of clicks) if (wanted(after)) send('amended', toClickEvent(after));
      };
      // The token that opened the feed was ended (its key revoked, or the password changed): so is the feed.
      const onRevoked = (revoked: AppEvents['credentials.revoked']) => {
        const member = revoked.memberId === undefined || revoked.memberId === principal.memberId;
        const key = revoked.apiKeyId === null || revoked.apiKeyId === apiKeyId;
        if (revoked.userId === userId && member && key) res.end();
      };
      // Revocations sent while this node's Redis subscription was down were missed: ask the database.
      const onStale = () => {
        accounts.resolvePrincipal(principal).catch((error: unknown) => {
          // Only a refusal ends the feed; a database that does not answer now says nothing about the token.
          if (error instanceof AppError) res.end();
        });
      };
      events.on('click.recorded', onRecorded);
      events.on('click.amended', onAmended);
      events.on('credentials.revoked', onRevoked);
      events.on('caches.stale', onStale);
      events.emit('live-feed.open', { userId });
      const heartbeat = setInterval(() => {
        res.write(': heartbeat\n\n');
        events.emit('live-feed.open', { userId });
      }, HEARTBEAT_MS);
      res.write(': connected\n\n');
      res.once('close', () => {
        clearInterval(heartbeat);
        events.off('click.recorded', onRecorded);
        events.off('click.amended', onAmended);
        events.off('credentials.revoked', onRevoked);
        events.off('caches.stale', onStale);
        open.delete(res);
      });
    },
  );
};

export default clickStreamRoutes;
