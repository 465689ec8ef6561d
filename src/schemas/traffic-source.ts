import { Type } from 'typebox';
import { PLATFORMS } from '../modules/traffic-sources/traffic-source.enums.ts';
import { PageQuery, Timestamp } from './common.ts';

export const PlatformSchema = Type.Enum(PLATFORMS);

const clickIdParam = Type.String({
  pattern: '^[A-Za-z0-9_.-]{1,64}$',
  description: 'Query parameter the platform appends (gclid, fbclid, ttclid, msclkid, …); defaults from the platform',
});

export const TrafficSourceSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  platform: PlatformSchema,
  click_id_param: Type.String(),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const TrafficSourceCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    platform: PlatformSchema,
    click_id_param: Type.Optional(clickIdParam),
  },
  { additionalProperties: false },
);

export const TrafficSourceUpdate = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    platform: Type.Optional(PlatformSchema),
    click_id_param: Type.Optional(clickIdParam),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const TrafficSourceListQuery = Type.Object(
  {
    ...PageQuery,
    platform: Type.Optional(PlatformSchema),
  },
  { additionalProperties: false },
);
