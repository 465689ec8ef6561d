import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { IdParams, okEmptySchema, okSchema } from '../../../../schemas/common.ts';
import {
  InvitationAccept,
  InvitationSchema,
  MemberInvite,
  MemberSchema,
  MemberUpdate,
  MeSchema,
  PasswordChangeRequest,
} from '../../../../schemas/member.ts';
import { TokenResponse } from '../../../../schemas/auth.ts';
import { ok } from '../../../../http/envelope.ts';
import { principalOf } from '../../../../http/auth.ts';
import { rightsOf } from '../../../../http/route-policy.ts';

const memberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { members, accounts } = app.services;
  const tags = ['Members'];

  app.get(
    '',
    {
      schema: {
        tags,
        summary: "List the workspace's members (the owner included)",
        response: okSchema(Type.Array(MemberSchema)),
      },
    },
    async (request) => ok(await members.list(principalOf(request).userId)),
  );

  app.post(
    '',
    {
      schema: {
        tags,
        summary: 'Invite a member: returns a one-time invitation link',
        body: MemberInvite,
        response: okSchema(InvitationSchema, 201),
      },
    },
    async (request, reply) => {
      reply.status(201);
      return ok(await members.invite(principalOf(request), request.body));
    },
  );

  app.get(
    '/me',
    {
      schema: { tags, summary: 'Who you are here: your role, campaigns and permissions', response: okSchema(MeSchema) },
    },
    async (request) => {
      const principal = principalOf(request);
      return ok({ ...(await members.me(principal)), ...rightsOf(principal) });
    },
  );

  app.put(
    '/me/password',
    {
      schema: {
        tags,
        summary:
          'Change your own password (the current one is required): every earlier token ends, the returned one works',
        body: PasswordChangeRequest,
        response: { 200: TokenResponse },
      },
    },
    async (request) => ({
      ...ok(),
      ...(await accounts.changePassword(principalOf(request), request.body, request.ip)),
    }),
  );

  app.post(
    '/accept',
    {
      config: { public: true },
      schema: {
        tags,
        summary: "Accept an invitation: sets the member's password (then sign in with POST /auth/token)",
        body: InvitationAccept,
        response: okSchema(MemberSchema),
      },
    },
    async (request) => ok(await members.accept(request.body.token, request.body.password)),
  );

  app.patch(
    '/:id',
    {
      schema: {
        tags,
        summary: "Change a member's role or campaign limit",
        params: IdParams,
        body: MemberUpdate,
        response: okSchema(MemberSchema),
      },
    },
    async (request) => ok(await members.update(principalOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Remove a member: their tokens and API keys stop working at once',
        params: IdParams,
        response: okEmptySchema(),
      },
    },
    async (request) => {
      await members.remove(principalOf(request), request.params.id);
      return ok();
    },
  );
};

export default memberRoutes;
