import { SUB_ID_NAMES, type SubIdName } from './api/enums';

/** The sub ids a click carries, as `sub1=value · sub6=value`; a dash when it has none. */
export function subIdText(click: Partial<Record<SubIdName, string | null>>): string {
  const parts = SUB_ID_NAMES.flatMap((name) => {
    const value = click[name];
    return value === null || value === undefined ? [] : [`${name}=${value}`];
  });
  return parts.length > 0 ? parts.join(' · ') : '—';
}

/** A click's sub ids in a table cell or a feed line (text only: they are the visitor's to choose). */
export function SubIds({ click }: { click: Partial<Record<SubIdName, string | null>> }) {
  return (
    <span className="sub-ids" data-testid="sub-ids">
      {subIdText(click)}
    </span>
  );
}
