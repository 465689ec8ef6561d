import { Type } from 'typebox';
import { PageQuery, Timestamp } from './common.ts';

export const LanderSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  url: Type.String(),
  offers_count: Type.Integer(),
  created_at: Timestamp,
  updated_at: Timestamp,
});

const fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  url: Type.String({
    minLength: 1,
    maxLength: 2048,
    description:
      'http(s) URL of the page; {clickid} (and the other destination macros) are filled in. Its links go to PUBLIC_URL/lp/{clickid} or …/lp/{clickid}/{n}',
  }),
  offers_count: Type.Integer({ minimum: 1, maximum: 20, description: 'How many offer links the page has (default 1)' }),
};

export const LanderCreate = Type.Object(
  { name: fields.name, url: fields.url, offers_count: Type.Optional(fields.offers_count) },
  { additionalProperties: false },
);

export const LanderUpdate = Type.Partial(LanderCreate, { additionalProperties: false, minProperties: 1 });

export const LanderListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
