import type { Readable } from 'node:stream';
import { Type, type Static, type TSchema } from 'typebox';
import { LIST_FORMATS } from '../modules/exports/export.enums.ts';

export const ErrorSchema = Type.Object(
  {
    success: Type.Literal(false),
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
    }),
  },
  { $id: 'Error' },
);

export const PageMetaSchema = Type.Object({
  page: Type.Integer(),
  per_page: Type.Integer(),
  total: Type.Integer(),
});

/** ?format=csv: every row of the filter as a streamed CSV download (page and per_page do not apply). */
export const ListFormatSchema = Type.Enum(LIST_FORMATS, {
  description: 'json (default): a page of the envelope; csv: every row of the filter, streamed as a download',
});

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Page number (default: 1)' })),
  per_page: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 100, description: 'Items per page (default: 20, max: 100)' }),
  ),
};

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Calendar date in the API's YYYY-MM-DD form. */
export const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'UTC date, YYYY-MM-DD' });

export const Timestamp = Type.String({ description: 'ISO 8601 UTC time' });

const errorRef = Type.Unsafe<Static<typeof ErrorSchema>>({ $ref: 'Error#' });
const ERROR_RESPONSES = { 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef, 429: errorRef };

/** `{ success: true, data }` for one object, with the standard error responses beside it. */
export function okSchema<T extends TSchema, S extends 200 | 201 = 200>(data: T, status?: S) {
  const success = Type.Object({ success: Type.Literal(true), data });
  // A computed key types as an index signature, which the type provider skips: name the status in the type.
  return { [status ?? 200]: success, ...ERROR_RESPONSES } as { [K in S]: typeof success } & typeof ERROR_RESPONSES;
}

/** `{ success: true, data: [...], meta }` for a paginated list. */
export function okPageSchema<T extends TSchema>(item: T) {
  return {
    200: Type.Object({ success: Type.Literal(true), data: Type.Array(item), meta: PageMetaSchema }),
    ...ERROR_RESPONSES,
  } as const;
}

/** 409 CONFLICT: what is to be deleted is still used (details name the users). */
export const conflictResponse = { 409: errorRef } as const;

/** A response with no data, such as a deletion. */
export function okEmptySchema() {
  return { 200: Type.Object({ success: Type.Literal(true) }), ...ERROR_RESPONSES } as const;
}

/** A download (CSV, plain text): the body is not in the envelope, the errors are. */
export function okDownloadSchema(mediaType: string) {
  // The file goes out as a stream: typed so, documented as the string it is on the wire.
  const file = Type.Unsafe<string | Readable>(Type.String({ description: `The file, as ${mediaType}` }));
  return { 200: file, ...ERROR_RESPONSES } as const;
}

/** `{ success: true, data: [...], meta }` for a keyset-paginated list, whose meta carries the next cursor. */
export function okKeysetPageSchema<T extends TSchema, M extends TSchema>(item: T, meta: M) {
  return {
    200: Type.Object({ success: Type.Literal(true), data: Type.Array(item), meta }),
    ...ERROR_RESPONSES,
  } as const;
}
