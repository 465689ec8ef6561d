import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AccountSchema, AccountUpdate } from '../../../../schemas/account.ts';
import { ok } from '../../../../schemas/common.ts';
import { principalOf } from '../../../../http/auth.ts';
import { presentAccount } from './present.ts';

const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { accounts } = app.services;
  const tags = ['Account'];

  app.get('', { schema: { tags, summary: 'Get your account', response: ok(AccountSchema) } }, async (request) => ({
    success: true as const,
    data: presentAccount(await accounts.getAccount(principalOf(request).userId)),
  }));

  app.put(
    '',
    { schema: { tags, summary: 'Change email or password', body: AccountUpdate, response: ok(AccountSchema) } },
    async (request) => ({
      success: true as const,
      data: presentAccount(await accounts.updateAccount(principalOf(request).userId, request.body)),
    }),
  );
};

export default accountRoutes;
