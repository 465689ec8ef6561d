import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { okSchema } from '../../../../schemas/common.ts';
import { DetectionSettingsSchema, DetectionSettingsUpdate } from '../../../../schemas/detection-settings.ts';
import { principalOf } from '../../../../http/auth.ts';
import type { DetectionSettingsInput } from '../../../../modules/detection-settings/detection-settings.service.ts';
import { ok } from '../../../../http/envelope.ts';

const detectionSettingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { detectionSettings } = app.services;
  const tags = ['Detection settings'];

  app.get(
    '',
    {
      schema: {
        tags,
        summary: "The account's detection thresholds (with defaults) and IP allow/block lists",
        response: okSchema(DetectionSettingsSchema),
      },
    },
    async (request) => ok(await detectionSettings.get(principalOf(request).userId)),
  );

  app.put(
    '',
    {
      schema: {
        tags,
        summary: 'Change thresholds (null restores a default) or replace an IP list',
        body: DetectionSettingsUpdate,
        response: okSchema(DetectionSettingsSchema),
      },
    },
    async (request) =>
      ok(await detectionSettings.update(principalOf(request).userId, request.body as DetectionSettingsInput)),
  );
};

export default detectionSettingsRoutes;
