import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AccountSchema, AccountUpdate } from '../../../../schemas/account.ts';
import { okSchema } from '../../../../schemas/common.ts';
import { principalOf } from '../../../../http/auth.ts';
import { presentAccount } from './present.ts';
import { ok } from '../../../../http/envelope.ts';

const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { accounts } = app.services;
  const tags = ['Account'];

  app.get('', { schema: { tags, summary: 'Get your account', response: okSchema(AccountSchema) } }, async (request) =>
    ok(presentAccount(await accounts.getAccount(principalOf(request).userId))),
  );

  app.put(
    '',
    { schema: { tags, summary: 'Change email or password', body: AccountUpdate, response: okSchema(AccountSchema) } },
    async (request) => ok(presentAccount(await accounts.updateAccount(principalOf(request).userId, request.body))),
  );
};

export default accountRoutes;
