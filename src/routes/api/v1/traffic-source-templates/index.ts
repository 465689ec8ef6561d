import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { okSchema } from '../../../../schemas/common.ts';
import { TrafficSourceTemplateSchema } from '../../../../schemas/traffic-source.ts';
import { ok } from '../../../../http/envelope.ts';

const trafficSourceTemplateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { trafficSources } = app.services;

  app.get(
    '',
    {
      schema: {
        tags: ['Traffic sources'],
        summary: 'List the built-in network templates a traffic source can be created from',
        response: okSchema(Type.Array(TrafficSourceTemplateSchema)),
      },
    },
    async () => ok([...trafficSources.templates()]),
  );
};

export default trafficSourceTemplateRoutes;
