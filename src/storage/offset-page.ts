import type { SelectQueryBuilder } from 'kysely';

/**
 * One page of a list and the total of the same filter, read together: `filtered` is the query up to its
 * WHERE, so the page and its count cannot disagree about which rows they cover; `page` selects, orders
 * and slices it. For the short lists of the API's offset pages (long ones page by key: keyset-pages.ts).
 */
export async function offsetPage<DB, TB extends keyof DB, Base, Row>(
  filtered: SelectQueryBuilder<DB, TB, Base>,
  page: (query: SelectQueryBuilder<DB, TB, Base>) => SelectQueryBuilder<DB, TB, Row>,
): Promise<{ rows: Row[]; total: number }> {
  const [rows, count] = await Promise.all([
    page(filtered).execute(),
    filtered
      .select((eb) => eb.fn.countAll<number>().as('total'))
      // Generic over the table, the selection's type is beyond inference: it is this one column (a string on PostgreSQL).
      .$castTo<{ total: number | string }>()
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}
