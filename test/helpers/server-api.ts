// Plain HTTP calls to a server process (test/helpers/server-process.ts), for the crash tests and
// others that drive `cloakradar serve` from outside rather than through app.inject.

export interface ApiAnswer {
  readonly status: number;
  readonly json: Record<string, unknown> & { data: Record<string, unknown> };
}

/** One JSON request; `token` as a bearer token. */
export async function callApi(
  baseUrl: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<ApiAnswer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, json: (await response.json()) as ApiAnswer['json'] };
}

/** Calls that must succeed: anything but a 2xx fails the test with the answer. */
export async function callApiOk(
  baseUrl: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<ApiAnswer['json']> {
  const answer = await callApi(baseUrl, method, path, token, body);
  if (answer.status < 200 || answer.status >= 300)
    throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.json).slice(0, 300)}`);
  return answer.json;
}

/** Registers an account and creates one campaign; the destination should carry `{clickid}` in `cid`. */
export async function setUpAccountWithCampaign(
  baseUrl: string,
  email: string,
  campaign: Record<string, unknown>,
): Promise<{ token: string; campaign: { id: number; uuid: string } }> {
  const registered = await callApiOk(baseUrl, 'POST', '/api/v1/auth/register', undefined, {
    email,
    password: 'long enough',
  });
  const token = registered.token as string;
  const created = (await callApiOk(baseUrl, 'POST', '/api/v1/campaigns', token, campaign)).data;
  return { token, campaign: { id: created.id as number, uuid: created.uuid as string } };
}
