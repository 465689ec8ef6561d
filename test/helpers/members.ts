// Invited members, as a client makes them: invite with the owner's token, accept the link, sign in.
import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';

type Request = (options: InjectOptions & { token?: string }) => Promise<LightMyRequestResponse>;

export const MEMBER_PASSWORD = 'a member password';

export interface InvitedMember {
  readonly id: number;
  readonly email: string;
  readonly token: string;
}

export async function inviteMember(
  request: Request,
  inviterToken: string,
  body: { email: string; role: string; campaign_ids?: number[] | null },
): Promise<{ id: number; invitationToken: string }> {
  const invited = await request({ method: 'POST', url: '/api/v1/members', token: inviterToken, payload: body });
  assert.equal(invited.statusCode, 201, invited.body);
  const data = invited.json().data;
  return { id: data.member.id, invitationToken: data.invitation_token };
}

export async function signIn(request: Request, email: string, password = MEMBER_PASSWORD): Promise<string> {
  const response = await request({ method: 'POST', url: '/api/v1/auth/token', payload: { email, password } });
  assert.equal(response.statusCode, 200, response.body);
  return response.json().token as string;
}

/** Invited, accepted and signed in. */
export async function addMember(
  request: Request,
  inviterToken: string,
  body: { email: string; role: string; campaign_ids?: number[] | null },
): Promise<InvitedMember> {
  const { id, invitationToken } = await inviteMember(request, inviterToken, body);
  const accepted = await request({
    method: 'POST',
    url: '/api/v1/members/accept',
    payload: { token: invitationToken, password: MEMBER_PASSWORD },
  });
  assert.equal(accepted.statusCode, 200, accepted.body);
  return { id, email: body.email, token: await signIn(request, body.email) };
}

/** A token minted from a new API key of the caller's. */
export async function apiKeyToken(request: Request, token: string, scope: 'read' | 'write'): Promise<string> {
  const key = (await request({ method: 'POST', url: '/api/v1/api-keys', token, payload: { name: 'k', scope } })).json()
    .data;
  const minted = await request({
    method: 'POST',
    url: '/api/v1/auth/token',
    payload: { api_key: key.api_key, api_secret: key.api_secret },
  });
  assert.equal(minted.statusCode, 200, minted.body);
  return minted.json().token as string;
}
