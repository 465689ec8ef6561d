import { useCampaignOptions } from './campaign-options';

/**
 * Names for campaign ids, from the campaigns the picker loads; an id it does not know (deleted, or past
 * the first page) shows as `#id` rather than vanishing.
 */
export function useCampaignNames(): (id: number) => string {
  const campaigns = useCampaignOptions();
  const names = new Map(campaigns.data?.data.map((c) => [c.id, c.name]) ?? []);
  return (id) => names.get(id) ?? `#${id}`;
}

/**
 * The campaigns a manager or viewer is limited to, picked by name: nothing checked is every campaign
 * (campaign_ids null). Ids already chosen that the list does not hold stay listed and checked, so saving
 * never drops a limit the member had.
 */
export function CampaignPicker({
  legend,
  selected,
  onChange,
}: {
  legend: string;
  selected: readonly number[];
  onChange: (ids: number[]) => void;
}) {
  const campaigns = useCampaignOptions();
  const nameOf = useCampaignNames();
  const listed = campaigns.data?.data.map((c) => c.id) ?? [];
  const ids = [...listed, ...selected.filter((id) => !listed.includes(id))];
  const toggle = (id: number) => onChange(selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id]);
  return (
    <fieldset>
      <legend>
        {legend} <span className="hint">(none checked: every campaign)</span>
      </legend>
      {campaigns.isPending && <span className="hint">Loading campaigns…</span>}
      {ids.map((id) => (
        <label key={id} className="check">
          <input type="checkbox" checked={selected.includes(id)} onChange={() => toggle(id)} />
          {nameOf(id)}
        </label>
      ))}
    </fieldset>
  );
}
