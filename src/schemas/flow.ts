import { Type, type Static } from 'typebox';
import { DEVICE_TYPES } from '../detection/index.ts';
import {
  CONNECTIONS,
  MAX_FLOW_PATHS,
  MAX_FLOW_RULES,
  MAX_PATH_OFFERS,
  ROTATIONS,
  WEEKDAYS,
} from '../modules/flows/flow.enums.ts';

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const Weight = Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000, description: 'A positive share; relative' });
const list = <T extends Parameters<typeof Type.Array>[0]>(item: T, maxItems: number) =>
  Type.Array(item, { minItems: 1, maxItems, uniqueItems: true });

/**
 * A rule's conditions: every field it names must match (lists: any of their values). Unknown fields
 * are refused. Only what the visitor's request says; never the verdict (SPEC section 8).
 */
export const FlowConditionSchema = Type.Object(
  {
    country: Type.Optional(list(Type.String({ pattern: '^[A-Za-z]{2}$' }), 250)),
    device: Type.Optional(list(Type.Enum(DEVICE_TYPES), DEVICE_TYPES.length)),
    os: Type.Optional(
      list(Type.String({ minLength: 1, maxLength: 64, description: 'As clicks show it: iOS, Android, Windows…' }), 50),
    ),
    browser: Type.Optional(
      list(Type.String({ minLength: 1, maxLength: 64, description: 'As clicks show it: Chrome, Safari…' }), 50),
    ),
    language: Type.Optional(
      list(
        Type.String({ pattern: '^[A-Za-z]{2,3}$', description: "The browser's first Accept-Language, e.g. de" }),
        100,
      ),
    ),
    connection: Type.Optional(Type.Enum(CONNECTIONS, { description: 'mobile: a mobile carrier network' })),
    params: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }), list(Type.String({ maxLength: 255 }), 100), {
        maxProperties: 20,
        description: 'Query parameter name → accepted values',
      }),
    ),
    weekday: Type.Optional(list(Type.Enum(WEEKDAYS), 7)),
    hour: Type.Optional(list(Type.Integer({ minimum: 0, maximum: 23, description: 'UTC hour' }), 24)),
  },
  { additionalProperties: false },
);

export const FlowPathSchema = Type.Object(
  {
    weight: Weight,
    lander_id: Type.Optional(Type.Union([Id, Type.Null()])),
    offers: Type.Array(Type.Object({ offer_id: Id, weight: Weight }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: MAX_PATH_OFFERS,
    }),
  },
  { additionalProperties: false },
);

const Paths = Type.Array(FlowPathSchema, { minItems: 1, maxItems: MAX_FLOW_PATHS });

export const FlowRuleSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: 'Unique in the flow; "default" is reserved' }),
    when: FlowConditionSchema,
    paths: Paths,
  },
  { additionalProperties: false },
);

export const FlowSchema = Type.Object(
  {
    rules: Type.Array(FlowRuleSchema, {
      maxItems: MAX_FLOW_RULES,
      description: 'Tried in order; the first match wins',
    }),
    paths: Paths,
    rotation: Type.Optional(
      Type.Enum(ROTATIONS, {
        description: 'weights (default): fixed shares; auto: toward the better EPC, at least 10 % per path',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'Replaces destination_url: rules with conditions, each sending the visitor down weighted paths',
  },
);

export type FlowInput = Static<typeof FlowSchema>;
export type FlowPathInput = Static<typeof FlowPathSchema>;
export type FlowConditionInput = Static<typeof FlowConditionSchema>;
