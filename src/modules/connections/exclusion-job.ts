import type { GoogleCredentials } from './google-ads-client.ts';
import { planExclusions, GOOGLE_IP_BLOCK_LIMIT } from './exclusion-plan.ts';
import {
  deleteExclusionByIp,
  deleteExclusions,
  insertExclusionIntents,
  listExclusions,
  setExclusionResource,
  setExclusionResourceByIp,
  touchExclusion,
} from './connection-job.repository.ts';
import { outcomeOf, type JobContext, type JobOutcome } from './job-context.ts';

const DAY_MS = 86_400_000;

/**
 * Brings one campaign's IpBlock criteria in line with its fraud: read what is on the platform, plan
 * (exclusion-plan.ts), write the creates down as intents, then one mutate with partialFailure; what
 * each operation did is recorded by its index. A crash anywhere leaves intents that the next run
 * adopts or forgets after reading the platform again, so nothing is created twice or left behind.
 */
export async function runExclusionJob(ctx: JobContext): Promise<JobOutcome> {
  const { settings, connection, db } = ctx;
  const campaignId = ctx.job.campaign_id;
  const link = campaignId === null ? undefined : await ctx.sources.campaignLink(campaignId);
  if (!link || link.userId !== connection.user_id || !link.googleAdsCampaignId || !settings.customer_id) {
    const message = `campaign ${campaignId} has no google_ads_campaign_id: no exclusions pushed`;
    await ctx.log({ action: 'exclusions', outcome: 'skipped', statusCode: null, message });
    return { verdict: 'skipped', message };
  }
  const googleCampaign = link.googleAdsCampaignId;
  const credentials = ctx.credentials as unknown as GoogleCredentials;
  const account = { customerId: settings.customer_id, loginCustomerId: settings.login_customer_id ?? null };
  const at = ctx.now();
  const wanted = await ctx.sources.exclusions(connection.user_id, campaignId!, at - ctx.exclusionDays * DAY_MS, at);

  const found = await ctx.google.ipBlocks(credentials, account, googleCampaign);
  if (found.verdict !== 'ok' || !('criteria' in found)) {
    await ctx.log({
      action: 'exclusions',
      outcome: outcomeOf(found.verdict),
      statusCode: found.statusCode,
      message: found.message,
      response: found.response,
    });
    return found;
  }
  const ours = await listExclusions(db, connection.id, googleCampaign);
  const plan = planExclusions(wanted.entries, ours, found.criteria, GOOGLE_IP_BLOCK_LIMIT);
  for (const { row, resourceName } of plan.adopt) await setExclusionResource(db, row.id, resourceName, at);
  await deleteExclusions(
    db,
    plan.forget.map((row) => row.id),
  );
  for (const { row, cost } of plan.keep) await touchExclusion(db, row.id, cost, at);
  const summary = {
    google_campaign_id: googleCampaign,
    kept: plan.keep.length,
    others_untouched: plan.others,
    left_out_over_limit: plan.leftOut,
  };
  if (plan.create.length === 0 && plan.remove.length === 0) {
    const message = `campaign ${campaignId}: ${plan.keep.length} exclusion(s) already in place, nothing to change`;
    await ctx.log({
      action: 'exclusions',
      outcome: 'ok',
      statusCode: 200,
      message,
      changes: { ...summary, created: [], removed: [] },
    });
    return { verdict: 'ok', message };
  }

  await insertExclusionIntents(db, connection.id, googleCampaign, plan.create, at);
  const campaignResource = `customers/${settings.customer_id}/campaigns/${googleCampaign}`;
  const operations = [
    ...plan.remove.map((row) => ({ remove: row.resource_name })),
    ...plan.create.map((entry) => ({
      create: { campaign: campaignResource, negative: true, ipBlock: { ipAddress: entry.ipAddress } },
    })),
  ];
  const result = await ctx.google.mutateCriteria(credentials, account, operations);
  if (result.verdict !== 'ok' || !('results' in result)) {
    await ctx.log({
      action: 'exclusions',
      outcome: outcomeOf(result.verdict),
      statusCode: result.statusCode,
      message: result.message,
      request: { operations: operations.length },
      response: result.response,
    });
    return result;
  }
  const removed: string[] = [];
  const created: string[] = [];
  const key = { connectionId: connection.id, googleCampaignId: googleCampaign };
  for (const [index, row] of plan.remove.entries()) {
    if (result.results[index] === null) continue;
    removed.push(row.ip_address);
    await deleteExclusions(db, [row.id]);
  }
  for (const [offset, entry] of plan.create.entries()) {
    const resourceName = result.results[plan.remove.length + offset];
    if (resourceName === null || resourceName === undefined) {
      await deleteExclusionByIp(db, { ...key, ipAddress: entry.ipAddress });
      continue;
    }
    created.push(entry.ipAddress);
    await setExclusionResourceByIp(db, { ...key, ipAddress: entry.ipAddress }, resourceName, at);
  }
  const failures = result.errors.map((error) => `#${error.index ?? '?'} ${error.code}: ${error.message}`);
  const message =
    `campaign ${campaignId}: ${created.length} exclusion(s) created, ${removed.length} removed` +
    (failures.length > 0 ? `, ${failures.length} refused (${failures.slice(0, 3).join('; ')})` : '');
  await ctx.log({
    action: 'exclusions',
    outcome: failures.length > 0 ? 'partial' : 'ok',
    statusCode: result.statusCode,
    message,
    request: { operations: operations.length },
    response: result.response,
    changes: { ...summary, created, removed },
  });
  return { verdict: 'ok', message };
}
