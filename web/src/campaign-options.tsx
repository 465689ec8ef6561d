import { useQuery } from '@tanstack/react-query';
import { api, call } from './api/client';

/** The account's campaigns for pickers and for naming a campaign id in a table. */
export function useCampaignOptions() {
  return useQuery({
    queryKey: ['campaigns', 'options'],
    queryFn: () => call(api.GET('/api/v1/campaigns', { params: { query: { per_page: 100 } } })),
  });
}

/** A "Campaign" filter field: "all" (the empty value) or one campaign's id. */
export function CampaignFilter({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const campaigns = useCampaignOptions();
  return (
    <div className="field">
      <label htmlFor={id}>Campaign</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">all</option>
        {campaigns.data?.data.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </div>
  );
}
