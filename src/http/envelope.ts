import type { PageRequest } from '../pagination.ts';

/** The success side of the reference's envelope; errors get theirs from error-handler.ts. */
export interface PageMeta {
  page: number;
  per_page: number;
  total: number;
}

/**
 * `{ success: true }`, `{ success: true, data }` or, for a page of a list, `{ success: true, data, meta }`.
 * `success` is typed as the literal `true`, so a handler's return still checks against the `Type.Literal(true)`
 * of its route's response schema (schemas/common.ts).
 */
export function ok(): { success: true };
export function ok<T>(data: T): { success: true; data: T };
export function ok<T>(data: T, meta: PageMeta): { success: true; data: T; meta: PageMeta };
export function ok<T>(...args: [] | [T] | [T, PageMeta]) {
  if (args.length === 0) return { success: true };
  const [data, meta] = args;
  return meta === undefined ? { success: true, data } : { success: true, data, meta };
}

/** The `meta` of a page of a list: where it starts and how many items there are in all. */
export function pageMeta(page: PageRequest, total: number): PageMeta {
  return { page: page.page, per_page: page.perPage, total };
}
