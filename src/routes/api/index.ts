import type { FastifyPluginAsync } from 'fastify';
import { apiGuard, type ApiGuardOptions } from '../../http/api-guard.ts';
import { sendRouteNotFound } from '../../http/error-handler.ts';
import authRoutes from './v1/auth/index.ts';
import accountRoutes from './v1/account/index.ts';
import apiKeyRoutes from './v1/api-keys/index.ts';
import memberRoutes from './v1/members/index.ts';
import auditLogRoutes from './v1/audit-log/index.ts';
import trafficSourceRoutes from './v1/traffic-sources/index.ts';
import trafficSourcePostbackRoutes from './v1/traffic-sources/postbacks.ts';
import placementRoutes from './v1/traffic-sources/placements.ts';
import offerRoutes from './v1/offers/index.ts';
import landerRoutes from './v1/landers/index.ts';
import trafficSourceTemplateRoutes from './v1/traffic-source-templates/index.ts';
import campaignRoutes from './v1/campaigns/index.ts';
import clickRoutes from './v1/clicks/index.ts';
import clickStreamRoutes from './v1/clicks/stream.ts';
import detectionSettingsRoutes from './v1/detection-settings/index.ts';
import conversionRoutes from './v1/conversions/index.ts';
import postbackRoutes from './v1/postback/index.ts';
import beaconRoutes from './v1/beacon/index.ts';
import postbackTokenRoutes from './v1/account/postback-token.ts';
import statsRoutes from './v1/stats/index.ts';
import analyticsRoutes from './v2/analytics/index.ts';
import reportRoutes from './v2/reports/index.ts';
import fraudStatsRoutes from './v2/fraud/stats.ts';
import webhookRoutes from './v1/webhooks/index.ts';
import connectionRoutes from './v1/connections/index.ts';
import fraudReportRoutes from './v2/fraud/report/index.ts';
import fraudReportListRoutes from './v2/fraud/reports/index.ts';

/** Everything under /api: guarded (token, plan limits, scopes) and answering in the reference's envelope. */
const apiRoutes: FastifyPluginAsync<ApiGuardOptions> = async (app, options) => {
  await app.register(apiGuard, options);
  app.setNotFoundHandler(sendRouteNotFound);
  app.get('/openapi.json', { config: { public: true, skipRateLimit: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  await app.register(authRoutes, { prefix: '/v1/auth' });
  await app.register(accountRoutes, { prefix: '/v1/account' });
  await app.register(postbackTokenRoutes, { prefix: '/v1/account/postback-token' });
  await app.register(apiKeyRoutes, { prefix: '/v1/api-keys' });
  await app.register(memberRoutes, { prefix: '/v1/members' });
  await app.register(auditLogRoutes, { prefix: '/v1/audit-log' });
  await app.register(trafficSourceRoutes, { prefix: '/v1/traffic-sources' });
  await app.register(trafficSourcePostbackRoutes, { prefix: '/v1/traffic-sources' });
  await app.register(placementRoutes, { prefix: '/v1/traffic-sources' });
  await app.register(offerRoutes, { prefix: '/v1/offers' });
  await app.register(landerRoutes, { prefix: '/v1/landers' });
  await app.register(trafficSourceTemplateRoutes, { prefix: '/v1/traffic-source-templates' });
  await app.register(campaignRoutes, { prefix: '/v1/campaigns' });
  await app.register(clickRoutes, { prefix: '/v1/clicks' });
  await app.register(clickStreamRoutes, { prefix: '/v1/clicks/stream' });
  await app.register(detectionSettingsRoutes, { prefix: '/v1/detection-settings' });
  await app.register(conversionRoutes, { prefix: '/v1/conversions' });
  await app.register(postbackRoutes, { prefix: '/v1/postback' });
  await app.register(beaconRoutes, { prefix: '/v1/beacon' });
  await app.register(statsRoutes, { prefix: '/v1/stats' });
  await app.register(connectionRoutes, { prefix: '/v1/connections' });
  await app.register(analyticsRoutes, { prefix: '/v2/analytics' });
  await app.register(reportRoutes, { prefix: '/v2/reports' });
  await app.register(fraudStatsRoutes, { prefix: '/v2/fraud/stats' });
  await app.register(webhookRoutes, { prefix: '/v1/webhooks' });
  await app.register(fraudReportRoutes, { prefix: '/v2/fraud/report' });
  await app.register(fraudReportListRoutes, { prefix: '/v2/fraud/reports' });
};

export default apiRoutes;
