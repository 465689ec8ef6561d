import type { GoogleCredentials } from './google-ads-client.ts';
import {
  META_MAX_EVENT_AGE_MS,
  googleClickConversion,
  hasGoogleClickId,
  metaEvent,
  platformClickIds,
} from './conversion-payloads.ts';
import { isPushableConversion } from './pushable-conversion.ts';
import { outcomeOf, type JobContext, type JobOutcome } from './job-context.ts';

/**
 * A Google Ads partial failure that means the conversion is already there (an earlier attempt
 * landed, then we crashed before recording it): the upload is idempotent by orderId and by
 * gclid + action + time, so this is success, not an error.
 */
const ALREADY_THERE = /ALREADY_EXISTS|ORDER_ID_ALREADY_IN_USE|DUPLICATE/;
/** The click is not yet known to Google (clicks take hours to be processed): try again later. */
const NOT_YET = /TOO_RECENT|CLICK_NOT_FOUND/;

const skip = async (ctx: JobContext, message: string): Promise<JobOutcome> => {
  await ctx.log({ action: 'conversion', outcome: 'skipped', statusCode: null, message });
  return { verdict: 'skipped', message };
};

/** Sends one conversion to the job's connection. */
export async function runConversionJob(ctx: JobContext): Promise<JobOutcome> {
  const conversion = ctx.job.conversion_id === null ? undefined : await ctx.sources.conversion(ctx.job.conversion_id);
  if (!conversion) return skip(ctx, `conversion ${ctx.job.conversion_id} no longer exists`);
  // Checked again at send time: a conversion rejected or flagged after it was queued is not sent.
  if (!isPushableConversion(conversion))
    return skip(ctx, `conversion ${conversion.id} is rejected or suspicious: not sent`);
  const click = await ctx.sources.click(conversion.click_id);
  if (!click) return skip(ctx, `the click of conversion ${conversion.id} is no longer stored`);
  const ids = platformClickIds(click.query);
  const { settings } = ctx;

  if (ctx.connection.platform === 'google') {
    if (!hasGoogleClickId(ids))
      return skip(ctx, `conversion ${conversion.id}: its click has no gclid, gbraid or wbraid`);
    if (!settings.conversion_action_id || !settings.customer_id)
      return skip(ctx, `conversion ${conversion.id}: the connection has no conversion_action_id`);
    const action = `customers/${settings.customer_id}/conversionActions/${settings.conversion_action_id}`;
    const payload = googleClickConversion(conversion, ids, action, settings.currency);
    const result = await ctx.google.uploadClickConversions(
      ctx.credentials as unknown as GoogleCredentials,
      { customerId: settings.customer_id, loginCustomerId: settings.login_customer_id ?? null },
      [payload],
    );
    if (result.verdict !== 'ok' || !('errors' in result)) {
      await ctx.log({
        action: 'conversion',
        outcome: outcomeOf(result.verdict),
        statusCode: result.statusCode,
        message: result.message,
        request: payload,
        response: result.response,
      });
      return result;
    }
    const error = result.errors[0];
    if (error && !ALREADY_THERE.test(error.code)) {
      const verdict = NOT_YET.test(error.code) ? 'retry' : 'fail';
      const message = `Google Ads refused conversion ${conversion.id}: ${error.code} (${error.message})`;
      await ctx.log({
        action: 'conversion',
        outcome: verdict === 'retry' ? 'retry' : 'partial',
        statusCode: result.statusCode,
        message,
        request: payload,
        response: result.response,
      });
      return { verdict, message };
    }
    const message = error
      ? `conversion ${conversion.id} was already uploaded (${error.code}): nothing sent twice`
      : `conversion ${conversion.id} uploaded as order ${String(payload.orderId)}`;
    await ctx.log({
      action: 'conversion',
      outcome: 'ok',
      statusCode: result.statusCode,
      message,
      request: payload,
      response: result.response,
      changes: { uploaded: error ? 0 : 1 },
    });
    return { verdict: 'ok', message };
  }

  if (!ids.fbclid) return skip(ctx, `conversion ${conversion.id}: its click has no fbclid`);
  if (ctx.now() - conversion.created_at > META_MAX_EVENT_AGE_MS)
    return skip(ctx, `conversion ${conversion.id} is more than 7 days old: Meta no longer takes it`);
  const event = metaEvent(conversion, click, ids.fbclid, settings.currency);
  const result = await ctx.meta.sendEvents(
    ctx.credentials.access_token ?? '',
    settings.pixel_id ?? '',
    [event],
    settings.test_event_code ?? null,
  );
  await ctx.log({
    action: 'conversion',
    outcome: outcomeOf(result.verdict),
    statusCode: result.statusCode,
    message:
      result.verdict === 'ok' ? `conversion ${conversion.id} sent as event ${String(event.event_id)}` : result.message,
    request: event,
    response: result.response,
    changes: result.verdict === 'ok' ? { events_received: result.eventsReceived } : undefined,
  });
  return result;
}
