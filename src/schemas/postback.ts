import { Type } from 'typebox';
import { Nullable, PageQuery, Timestamp } from './common.ts';
import { POSTBACK_STATUSES } from '../modules/postbacks/postback.enums.ts';

const Url = Type.String({
  description: 'The URL called (or that would have been): query values named like secrets, tokens or keys show as ***',
});

const Attempt = Type.Object({
  attempted_at: Timestamp,
  status_code: Nullable(Type.Integer()),
  latency_ms: Type.Integer(),
  error: Nullable(Type.String()),
  response_excerpt: Nullable(Type.String({ description: 'The start of the answer (up to 200 characters)' })),
});

export const PostbackLogEntrySchema = Type.Object({
  id: Type.Integer(),
  conversion_id: Type.Integer(),
  click_id: Type.String(),
  url: Url,
  status: Type.Enum(POSTBACK_STATUSES, {
    description:
      'pending (to be sent or retried), delivered (2xx), failed (given up after 24 h), withheld (not sent: see reason)',
  }),
  reason: Nullable(Type.String({ description: 'Why a withheld postback was not sent' })),
  attempts: Type.Integer(),
  next_attempt_at: Nullable(Timestamp),
  last_status_code: Nullable(Type.Integer()),
  last_error: Nullable(Type.String()),
  response_excerpt: Nullable(
    Type.String({ description: "The start of the network's last answer (up to 200 characters)" }),
  ),
  created_at: Timestamp,
  updated_at: Timestamp,
  completed_at: Nullable(Timestamp),
  attempt_log: Type.Array(Attempt, { description: 'Every attempt, oldest first' }),
});

export const PostbackTestResultSchema = Type.Object({
  url: Url,
  status_code: Nullable(Type.Integer({ description: 'Null when no HTTP answer came (see error)' })),
  latency_ms: Type.Integer(),
  response_excerpt: Nullable(Type.String()),
  error: Nullable(Type.String()),
  delivered: Type.Boolean({ description: 'The network answered 2xx' }),
});

export const PostbackLogQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
