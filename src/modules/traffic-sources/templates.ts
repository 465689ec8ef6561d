import type { Platform, TemplateKind } from './traffic-source.enums.ts';

/**
 * The built-in catalogue of networks a traffic source can start from: the parameters the tracking URL
 * carries and the network's own macro for each, and the URL the network takes conversions on. Tokens
 * are written exactly as the network documents them (their syntaxes differ: `{x}`, `${X}`, `[X]`,
 * `{{x}}`, `__X__`) because the network substitutes them literally. A null token means the network
 * has no macro for it; a null click-id token means the network appends its click id by itself
 * (auto-tagging), so the URL must not carry it. Postback URLs use our macros (POSTBACK_MACROS);
 * what is account-specific is written in capitals (YOUR_KEY) for the user to replace.
 */
export interface TrafficSourceTemplate {
  readonly id: TemplateId;
  readonly name: string;
  readonly kind: TemplateKind;
  readonly platform: Platform;
  readonly click_id_param: string;
  readonly click_id_token: string | null;
  readonly cost_param: string | null;
  readonly cost_token: string | null;
  readonly placement_param: string | null;
  readonly placement_token: string | null;
  readonly postback_url: string | null;
}

/** The one list of template ids: the `template` field's schema derives from it. */
export const TEMPLATE_IDS = [
  'google-ads',
  'microsoft-ads',
  'meta',
  'tiktok',
  'taboola',
  'outbrain',
  'mgid',
  'propellerads',
  'zeropark',
  'exoclick',
  'trafficstars',
  'richads',
  'clickadu',
  'adsterra',
  'kadam',
] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

const CATALOGUE: Readonly<Record<TemplateId, Omit<TrafficSourceTemplate, 'id'>>> = {
  // https://support.google.com/google-ads/answer/1752125 (auto-tagging appends gclid) and
  // https://support.google.com/google-ads/answer/6305348 (ValueTrack {placement}). Google takes
  // conversions by import or API, not by a GET postback, and has no per-click cost macro.
  'google-ads': {
    name: 'Google Ads',
    kind: 'search',
    platform: 'google',
    click_id_param: 'gclid',
    click_id_token: null,
    cost_param: null,
    cost_token: null,
    placement_param: 'placement',
    placement_token: '{placement}',
    postback_url: null,
  },
  // https://help.ads.microsoft.com/apex/index/3/en/60125 (auto-tagging appends msclkid) and
  // http://help.bingads.microsoft.com/apex/index/3/en/56799 (URL parameters: {Network} is search/audience).
  'microsoft-ads': {
    name: 'Microsoft Advertising',
    kind: 'search',
    platform: 'microsoft',
    click_id_param: 'msclkid',
    click_id_token: null,
    cost_param: null,
    cost_token: null,
    placement_param: 'network',
    placement_token: '{Network}',
    postback_url: null,
  },
  // Meta appends fbclid itself; URL dynamic parameters use {{…}} (https://docs.clar.io/configuration/ad-engine-url-tracking-parameters,
  // after Meta's "URL parameters" help). Conversions go through the Conversions API, not a GET postback.
  meta: {
    name: 'Meta (Facebook, Instagram)',
    kind: 'social',
    platform: 'meta',
    click_id_param: 'fbclid',
    click_id_token: null,
    cost_param: null,
    cost_token: null,
    placement_param: 'placement',
    placement_token: '{{placement}}',
    postback_url: null,
  },
  // https://ads.tiktok.com/help/article/tiktok-click-id (ttclid auto-attached since November 2022);
  // __X__ macros: https://ruler-documentation.readme.io/docs/tiktok-ads. Conversions via Events API.
  tiktok: {
    name: 'TikTok Ads',
    kind: 'social',
    platform: 'tiktok',
    click_id_param: 'ttclid',
    click_id_token: null,
    cost_param: null,
    cost_token: null,
    placement_param: 'placement',
    placement_token: '__PLACEMENT__',
    postback_url: null,
  },
  // https://developers.taboola.com/pixel/docs/the-postback-url (the parameter must be `click-id`;
  // `name` is the event name defined in Realize).
  taboola: {
    name: 'Taboola',
    kind: 'native',
    platform: 'other',
    click_id_param: 'click_id',
    click_id_token: '{click_id}',
    cost_param: null,
    cost_token: null,
    placement_param: 'site',
    placement_token: '{site_id}',
    postback_url:
      'https://trc.taboola.com/actions-handler/log/3/s2s-action?click-id={external_id}&name={event}&revenue={payout}&orderid={txid}',
  },
  // {{ob_click_id}} and the S2S postback: https://www.outbrain.com/help/advertisers/server-app-integrations/#postback
  // (as listed in github.com/moonshot-marketing/external-website-integration, supported-external-networks.md).
  outbrain: {
    name: 'Outbrain',
    kind: 'native',
    platform: 'other',
    click_id_param: 'ob_click_id',
    click_id_token: '{{ob_click_id}}',
    cost_param: null,
    cost_token: null,
    placement_param: 'section',
    placement_token: '{{section_id}}',
    postback_url: 'https://tr.outbrain.com/unifiedPixel?ob_click_id={external_id}&name={event}&orderValue={payout}',
  },
  // https://help.mgid.com/macros.-setting-up-non-standard-markup-for-links-to-track-traffic (macros) and
  // https://help.mgid.com/postback-setup (c = click id, e = event name, r = revenue).
  mgid: {
    name: 'MGID',
    kind: 'native',
    platform: 'other',
    click_id_param: 'click_id',
    click_id_token: '{click_id}',
    cost_param: 'cost',
    cost_token: '{click_price}',
    placement_param: 'widget',
    placement_token: '{widget_id}',
    postback_url: 'https://a.mgid.com/postback?c={external_id}&e={event}&r={payout}',
  },
  // ${SUBID}, {zoneid} and {cost} as in PropellerAds campaign URLs (github.com/Jayashree1227/Requrements, track.md;
  // https://coldfusion-example.blogspot.com/2026/02/propellerads-s2s-postback-guide-fixing.html).
  // The postback's aid and tid come from the PropellerAds tracking page of the account.
  propellerads: {
    name: 'PropellerAds',
    kind: 'push',
    platform: 'other',
    click_id_param: 'visitor_id',
    click_id_token: '${SUBID}',
    cost_param: 'cost',
    cost_token: '{cost}',
    placement_param: 'zone',
    placement_token: '{zoneid}',
    postback_url:
      'http://ad.propellerads.com/conversion.php?aid=YOUR_AID&pid=&tid=YOUR_TID&visitor_id={external_id}&payout={payout}',
  },
  // {cid}, {visit_cost} and {target}: Zeropark's tokens as trackers' Zeropark templates carry them (the
  // search found no Zeropark advertiser page; publisher side: https://doc.zeropark.com/article/sold-postback-url).
  zeropark: {
    name: 'Zeropark',
    kind: 'pop',
    platform: 'other',
    click_id_param: 'cid',
    click_id_token: '{cid}',
    cost_param: 'cost',
    cost_token: '{visit_cost}',
    placement_param: 'target',
    placement_token: '{target}',
    postback_url: 'http://postback.zeroredirect1.com/zppostback/YOUR_KEY?cid={external_id}&payout={payout}',
  },
  // https://docs.exoclick.com/docs/conversion-tracking-api/ ({conversions_tracking} is the tag sent back)
  // and https://docs.binom.org/conv-to-source.php (ExoClick set-up in a tracker).
  exoclick: {
    name: 'ExoClick',
    kind: 'pop',
    platform: 'other',
    click_id_param: 'exo_click_id',
    click_id_token: '{conversions_tracking}',
    cost_param: null,
    cost_token: null,
    placement_param: 'zone',
    placement_token: '{zone_id}',
    postback_url: 'https://s.magsrv.com/tag.php?goal=YOUR_GOAL_ID&tag={external_id}',
  },
  // https://support.trafficstars.com/advertising/tracking/what-are-the-available-dynamic-parameters (tokens) and
  // https://trafficstars.com/faq/articles/how-to-set-up-tracking-conversions (postback; key from Tracking Tools).
  trafficstars: {
    name: 'TrafficStars',
    kind: 'pop',
    platform: 'other',
    click_id_param: 'clickid',
    click_id_token: '{click_id}',
    cost_param: 'cost',
    cost_token: '{cost}',
    placement_param: 'site',
    placement_token: '{site_id}',
    postback_url: 'https://tsyndicate.com/api/v1/cpa/action?clickid={external_id}&value={payout}&key=YOUR_KEY',
  },
  // https://validvisit.com/tools/tracking-tokens/richads ([CLICK_ID], [SITE_ID]: capitals in square brackets).
  // No per-click cost macro and no public postback format found: the account's postback is copied from RichAds.
  richads: {
    name: 'RichAds',
    kind: 'push',
    platform: 'other',
    click_id_param: 'clickid',
    click_id_token: '[CLICK_ID]',
    cost_param: null,
    cost_token: null,
    placement_param: 'site',
    placement_token: '[SITE_ID]',
    postback_url: null,
  },
  // https://support.clickadu.com/hc/en-us/articles/360001757198-How-to-integrate-Clickadu-S2S-conversion-tracking-
  // (${SUBID}, {zoneid}, {cost}); postback host: https://kintura.com/docs/presets/pairings/clickadu/clickbooth.
  clickadu: {
    name: 'Clickadu',
    kind: 'pop',
    platform: 'other',
    click_id_param: 'visitor_id',
    click_id_token: '${SUBID}',
    cost_param: 'cost',
    cost_token: '{cost}',
    placement_param: 'zone',
    placement_token: '{zoneid}',
    postback_url: 'http://sconvtrk.com/conversion/YOUR_KEY/?visitor_id={external_id}',
  },
  // http://help-advertisers.adsterra.com/en/articles/4575914-how-do-i-setup-postback (pbterra postback);
  // ##SUB_ID_SHORT## / ##PLACEMENT_ID## as trackers' Adsterra templates write them.
  adsterra: {
    name: 'Adsterra',
    kind: 'pop',
    platform: 'other',
    click_id_param: 'clickid',
    click_id_token: '##SUB_ID_SHORT##',
    cost_param: null,
    cost_token: null,
    placement_param: 'placement',
    placement_token: '##PLACEMENT_ID##',
    postback_url: 'http://www.pbterra.com/name/YOUR_ADVERTISER_NAME/at?subid_short={external_id}&atpay={payout}',
  },
  // https://wiki.kadam.net/index.php?title=Macro_setup ([CPA] click id, [CLC] click cost, [SID] site id).
  // Kadam's postback URL is issued per account: copied from its panel.
  kadam: {
    name: 'Kadam',
    kind: 'native',
    platform: 'other',
    click_id_param: 'clickid',
    click_id_token: '[CPA]',
    cost_param: 'cost',
    cost_token: '[CLC]',
    placement_param: 'site',
    placement_token: '[SID]',
    postback_url: null,
  },
};

export const TRAFFIC_SOURCE_TEMPLATES: readonly TrafficSourceTemplate[] = TEMPLATE_IDS.map((id) =>
  Object.freeze({ id, ...CATALOGUE[id] }),
);

export function findTemplate(id: string | null | undefined): TrafficSourceTemplate | undefined {
  return id ? TRAFFIC_SOURCE_TEMPLATES.find((template) => template.id === id) : undefined;
}
