import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AccountSchema } from '../../../../schemas/account.ts';
import { RegisterRequest, TokenRequest, TokenResponse } from '../../../../schemas/auth.ts';
import { ErrorSchema } from '../../../../schemas/common.ts';
import { Type } from 'typebox';
import { AppError, authorizationError } from '../../../../errors.ts';
import type { Credentials } from '../../../../modules/accounts/account.service.ts';
import { presentAccount } from '../account/present.ts';
import { ok } from '../../../../http/envelope.ts';

function credentialsOf(body: {
  email?: string;
  password?: string;
  api_key?: string;
  api_secret?: string;
}): Credentials {
  if (body.email !== undefined || body.password !== undefined) {
    const details: Record<string, string[]> = {};
    if (body.email === undefined) details.email = ['The email field is required'];
    if (body.password === undefined) details.password = ['The password field is required'];
    if (body.api_key !== undefined || body.api_secret !== undefined)
      details.api_key = ['Send email + password or api_key + api_secret, not both'];
    if (Object.keys(details).length > 0)
      throw new AppError('VALIDATION_ERROR', Object.values(details)[0]![0]!, details);
    return { email: body.email!, password: body.password! };
  }
  if (body.api_key === undefined || body.api_secret === undefined) {
    const details = {
      ...(body.api_key === undefined ? { api_key: ['The api_key field is required'] } : {}),
      ...(body.api_secret === undefined ? { api_secret: ['The api_secret field is required'] } : {}),
    };
    throw new AppError('VALIDATION_ERROR', 'Send email + password, or api_key + api_secret', details);
  }
  return { api_key: body.api_key, api_secret: body.api_secret };
}

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { accounts, config } = app.services;

  app.post(
    '/token',
    {
      config: { public: true },
      schema: {
        tags: ['Authentication'],
        summary: 'Obtain a token',
        body: TokenRequest,
        response: { 200: TokenResponse, 400: ErrorSchema, 401: ErrorSchema, 429: ErrorSchema },
      },
    },
    async (request) => ({ ...ok(), ...(await accounts.issueToken(credentialsOf(request.body), request.ip)) }),
  );

  app.post(
    '/register',
    {
      config: { public: true },
      schema: {
        tags: ['Authentication'],
        summary: 'Create an account',
        body: RegisterRequest,
        response: {
          201: Type.Object({ ...TokenResponse.properties, data: AccountSchema }),
          400: ErrorSchema,
          403: ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      if (!config.signup) throw authorizationError('Sign-up is turned off on this server');
      const { account, token, expires_in } = await accounts.register(request.body.email, request.body.password);
      reply.status(201);
      return { ...ok(presentAccount(account)), token, expires_in };
    },
  );
};

export default authRoutes;
