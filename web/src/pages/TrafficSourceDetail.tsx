import { Link } from 'wouter';
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client';
import { SOURCE_PLATFORM_LABELS } from '../api/enums';
import { CopyButton, Empty, ErrorBox, Loading } from '../ui';
import { PostbackEditor, PostbackLog } from './SourcePostbacks';
import { SourcePlacements } from './SourcePlacements';
import { CanCall } from '../can';

/** One traffic source: the URLs to paste into the network, its postback, the delivery log and its placements. */
export function TrafficSourceDetail({ id }: { id: number }) {
  const source = useQuery({
    queryKey: ['traffic-source', id],
    queryFn: () => call(api.GET('/api/v1/traffic-sources/{id}', { params: { path: { id } } })),
  });
  if (source.isPending) return <Loading what="Loading the traffic source" />;
  if (source.isError) return <ErrorBox error={source.error} retry={() => void source.refetch()} />;
  const s = source.data.data;
  return (
    <>
      <p>
        <Link href="/traffic-sources">← Traffic sources</Link>
      </p>
      <h1>{s.name}</h1>
      <p className="hint">
        {s.template ? `Template ${s.template} · ` : ''}
        {SOURCE_PLATFORM_LABELS[s.platform]} · click id in <code>{s.click_id_param}</code>
        {s.cost_param && (
          <>
            , cost in <code>{s.cost_param}</code>
          </>
        )}
        {s.placement_param && (
          <>
            , placement in <code>{s.placement_param}</code>
          </>
        )}
      </p>
      <TrackingUrls sourceId={id} />
      {/* Keyed by the saved URL: a save elsewhere (the list's form) resets the draft to it. */}
      <CanCall route="PUT /api/v1/traffic-sources/:id">
        <PostbackEditor key={s.postback_url ?? ''} source={s} />
      </CanCall>
      {/* Both span every campaign the source feeds: a member limited to some campaigns is refused them. */}
      <CanCall route="GET /api/v1/traffic-sources/:id/postbacks">
        <PostbackLog sourceId={id} />
      </CanCall>
      <CanCall route="GET /api/v1/traffic-sources/:id/placements">
        <SourcePlacements sourceId={id} sourceName={s.name} />
      </CanCall>
    </>
  );
}

/** Per campaign of this source, the tracking URL with the network's macros, ready to paste. */
function TrackingUrls({ sourceId }: { sourceId: number }) {
  const campaigns = useQuery({
    queryKey: ['campaigns', { traffic_source_id: sourceId }],
    queryFn: () =>
      call(api.GET('/api/v1/campaigns', { params: { query: { traffic_source_id: sourceId, per_page: 100 } } })),
  });
  return (
    <section className="panel" aria-labelledby="urls-title">
      <h2 id="urls-title" style={{ marginTop: 0 }}>
        Tracking URLs to paste into the network
      </h2>
      {campaigns.isPending && <Loading what="Loading campaigns" />}
      {campaigns.isError && <ErrorBox error={campaigns.error} />}
      {campaigns.data && campaigns.data.data.length === 0 && (
        <Empty title="No campaign uses this source yet">
          Choose this source in a campaign (<Link href="/campaigns/new">new campaign</Link> or a campaign&apos;s Edit):
          its tracking URL for the network appears here.
        </Empty>
      )}
      {campaigns.data?.data.map((campaign) => (
        <div key={campaign.id} className="field" data-testid={`source-url-${campaign.id}`}>
          <label htmlFor={`source-url-${campaign.id}`}>
            <Link href={`/campaigns/${campaign.id}`}>{campaign.name}</Link>
          </label>
          <div className="copyline">
            <code id={`source-url-${campaign.id}`}>{campaign.tracking_url_for_source ?? campaign.tracking_url}</code>
            <CopyButton text={campaign.tracking_url_for_source ?? campaign.tracking_url} />
          </div>
        </div>
      ))}
      {campaigns.data && campaigns.data.meta.total > campaigns.data.data.length && (
        <p className="hint">
          The first {campaigns.data.data.length} of {campaigns.data.meta.total} campaigns; each campaign&apos;s page
          shows its own.
        </p>
      )}
    </section>
  );
}
