/**
 * Autonomous systems whose client traffic comes from rented machines, not from people at home or
 * on a phone. An ASN here is judged by the curated entry, whatever its organisation name says.
 *
 * Each entry was checked against the organisation name the bundled ASN database
 * (@ip-location-db/asn) gives it; the name after the number is only used in a reason when that
 * database has none. Companies that also run crawlers, offices or consumer services on their
 * network are in NOT_HOSTING_ASNS below, with the reason.
 */

/**
 * `hosting`: clouds, VPS and dedicated-server hosts. `proxy`: CDN and edge networks whose client
 * traffic is mostly relayed people (Cloudflare WARP, iCloud Private Relay) plus edge scripts, so it
 * counts as anonymised but weighs less. `vpn`: networks run by a VPN company for its exits.
 */
export type HostingKind = 'hosting' | 'proxy' | 'vpn';

export interface HostingAsn {
  readonly name: string;
  readonly kind: HostingKind;
}

type Entry = readonly [asn: number, name: string];

const HOSTING: readonly Entry[] = [
  // Hyperscale clouds
  [16509, 'Amazon AWS'], // EC2, Lambda and most AWS services in every region
  [14618, 'Amazon AWS'], // AWS us-east-1 (Virginia), the largest region
  [8987, 'Amazon AWS'], // Amazon Data Services Ireland: AWS in Europe
  [38895, 'Amazon AWS'], // Amazon.com Tech Telecom: AWS in Asia-Pacific
  // Azure, but also Bing, Microsoft 365 and some Microsoft office egress. Its client traffic is mostly
  // Azure VMs (and Microsoft 365's mail link scanners, exactly the invalid clicks to count); people
  // here sit at Windows 365 / Azure Virtual Desktop, a remote desktop in a datacenter, which `vpn`
  // status describes. bingbot and AdIdxBot are verified by the crawler rule, which overrides this.
  [8075, 'Microsoft Azure'],
  // Google Cloud: rented VMs and Cloud Run. Also where Palo Alto Prisma Access puts some companies'
  // employees; Googlebot's fetchers here are verified by the crawler rule. Google's own AS15169 is not
  // a cloud anyone rents: see NOT_HOSTING_ASNS.
  [396982, 'Google Cloud'],
  [45102, 'Alibaba Cloud'], // Alibaba (US) Technology: Alibaba Cloud outside China
  [37963, 'Alibaba Cloud'], // Hangzhou Alibaba Advertising: Aliyun in China
  [134963, 'Alibaba Cloud'], // Alibaba Cloud (Singapore)
  [132203, 'Tencent Cloud'], // Tencent Cloud outside China
  [45090, 'Tencent Cloud'], // Shenzhen Tencent Computer Systems: Tencent Cloud in China
  [133478, 'Tencent Cloud'], // Tencent Cloud Computing (Beijing)
  [136907, 'Huawei Cloud'], // HUAWEI INTERNATIONAL PTE. LTD.: Huawei Cloud outside China
  [55990, 'Huawei Cloud'], // Huawei Cloud Service data center, China
  [31898, 'Oracle Cloud'], // Oracle Cloud Infrastructure; Oracle's other ASNs are its own SaaS and offices
  [36351, 'IBM Cloud'], // SoftLayer, now IBM Cloud
  [200350, 'Yandex Cloud'], // Yandex.Cloud; Yandex's own AS13238 is search and consumer services
  [150436, 'BytePlus'], // ByteDance's cloud sold to customers outside China (ByteDance's own network is excluded)
  [137718, 'Volcano Engine'], // ByteDance's cloud sold to customers in China
  [38365, 'Baidu'], // Baidu AI Cloud and Baidu's servers; Baiduspider is judged by its user agent
  [23576, 'NAVER Cloud'], // NAVER Cloud Platform, Korea
  [59019, 'Kingsoft Cloud'], // Beijing Kingsoft Cloud
  [135377, 'UCloud'], // UCloud Information Technology (HK)
  [63949, 'Akamai Linode'], // Linode, now Akamai Connected Cloud: rented VMs, unlike Akamai's CDN
  // Developer clouds and VPS
  [14061, 'DigitalOcean'], // droplets, the classic VPS network
  [393406, 'DigitalOcean'], // DigitalOcean, further network
  [46652, 'DigitalOcean'], // DigitalOcean, smaller allocation
  [20473, 'Vultr'], // The Constant Company (formerly Choopa), which runs Vultr
  [16276, 'OVHcloud'], // OVH SAS, Europe's largest host
  [24940, 'Hetzner'], // Hetzner Online dedicated servers
  [213230, 'Hetzner'], // Hetzner Cloud
  [212317, 'Hetzner'], // Hetzner Online, further network
  [215859, 'Hetzner'], // Hetzner Online, newer allocation
  [12876, 'Scaleway'], // Scaleway (formerly Online SAS, Iliad's hosting arm)
  [29447, 'Scaleway'], // Scaleway datacenters (formerly Iliad Entreprises)
  [51167, 'Contabo'], // Contabo GmbH, cheap VPS widely used for bots
  [40021, 'Contabo'], // Contabo Inc., US locations
  [141995, 'Contabo'], // Contabo Asia
  [47583, 'Hostinger'], // Hostinger International: shared hosting and VPS
  [204915, 'Hostinger'], // Hostinger, second network
  [8560, 'IONOS'], // IONOS (1&1) hosting and cloud
  [197540, 'netcup'], // netcup GmbH VPS
  [214996, 'netcup'], // netcup, second network
  [202053, 'UpCloud'], // UpCloud Ltd
  [25697, 'UpCloud'], // UpCloud USA
  [36007, 'Kamatera'], // Kamatera cloud
  [204548, 'Kamatera'], // Kamatera, European network
  [41436, 'Kamatera'], // Kamatera, further network
  [210329, 'Kamatera'], // Kamatera, further network
  [54825, 'Equinix Metal'], // Packet Host, bare-metal cloud now Equinix Metal
  [61098, 'Exoscale'], // Akenes SA, which runs Exoscale
  [40509, 'Fly.io'], // Fly.io app hosting
  [29169, 'Gandi'], // Gandi hosting and cloud
  [29222, 'Infomaniak'], // Infomaniak hosting, Switzerland
  [31034, 'Aruba.it'], // Aruba S.p.A. hosting, Italy
  [6724, 'Strato'], // Strato AG hosting, Germany
  [8972, 'PlusServer'], // Host Europe GmbH, now PlusServer
  [2635, 'Automattic'], // WordPress.com and Jetpack servers
  [63473, 'HostHatch'], // HostHatch VPS
  [53667, 'BuyVM'], // FranTech Solutions, which runs BuyVM
  [7489, 'HostUS'], // HostUS VPS
  [14956, 'Cloudzy'], // RouterHosting LLC, which runs Cloudzy
  [55293, 'A2 Hosting'], // A2 Hosting
  [26347, 'DreamHost'], // New Dream Network
  [22612, 'Namecheap'], // Namecheap hosting
  [46606, 'Unified Layer'], // Bluehost and HostGator servers
  [26496, 'GoDaddy'], // GoDaddy hosting
  [32244, 'Liquid Web'], // Liquid Web managed hosting
  [19994, 'Rackspace'], // Rackspace Hosting
  [27357, 'Rackspace'], // Rackspace Hosting
  [33070, 'Rackspace'], // Rackspace Hosting
  [15395, 'Rackspace'], // Rackspace UK
  // Dedicated servers, VPS wholesale and the networks VPN and proxy services rent from
  [7979, 'Servers.com'], // Servers.com dedicated servers
  [54290, 'Hostwinds'], // Hostwinds, now HostPapa
  [36352, 'ColoCrossing'], // ColoCrossing, now HostPapa: cheap VPS resold widely
  [40676, 'Psychz'], // Psychz Networks
  [8100, 'QuadraNet'], // QuadraNet Enterprises
  [9009, 'M247'], // M247 Europe: the network most commercial VPNs rent exits from
  [42973, 'M247'], // M247 UK
  [16247, 'M247'], // M247 UK
  [60068, 'Datacamp'], // Datacamp Limited (CDN77); hosts many VPN exits
  [212238, 'Datacamp'], // Datacamp Limited, second network (many VPN exits)
  [199524, 'G-Core Labs'], // G-Core Labs cloud and CDN
  [202422, 'G-Core Labs'], // G-Core Labs, second network
  [21859, 'Zenlayer'], // Zenlayer edge cloud
  [62610, 'Zenlayer'], // Zenlayer, second network
  [60781, 'Leaseweb'], // LeaseWeb Netherlands
  [16265, 'Leaseweb'], // LeaseWeb Network (global backbone)
  [28753, 'Leaseweb'], // Leaseweb Deutschland
  [30633, 'Leaseweb'], // Leaseweb USA
  [7203, 'Leaseweb'], // Leaseweb USA
  [395954, 'Leaseweb'], // Leaseweb USA
  [396190, 'Leaseweb'], // Leaseweb USA
  [19148, 'Leaseweb'], // Leaseweb USA
  [59253, 'Leaseweb'], // Leaseweb Singapore
  [62240, 'Clouvider'], // Clouvider Limited
  [3214, 'xTom'], // xTom GmbH
  [9312, 'xTom'], // xTom Hong Kong
  [3258, 'xTom'], // xTom Japan
  [203020, 'HostRoyale'], // HostRoyale Technologies: VPN exits in many countries
  [207990, 'HostRoyale'], // HostRoyale, largest network
  [133499, 'HostRoyale'], // HostRoyale, Asia-Pacific
  [210644, 'Aeza'], // AEZA International
  [216246, 'Aeza'], // Aeza Group
  [44477, 'Stark Industries'], // Stark Industries Solutions, PQ Hosting's spin-off
  [9123, 'Timeweb'], // JSC Timeweb
  [210976, 'Timeweb'], // Timeweb LLP
  [49505, 'Selectel'], // JSC Selectel
  [50340, 'Selectel'], // JSC Selectel, second network
  [197695, 'REG.RU'], // REG.RU hosting
  [198610, 'Beget'], // Beget hosting
  [48282, 'VDSina'], // Hosting technology LTD (VDSina)
  [57043, 'HOSTKEY'], // HOSTKEY B.V.
  [56630, 'Melbicom'], // Melbikomas UAB
  [3223, 'Voxility'], // Voxility hosting and DDoS protection
  [43350, 'NForce'], // NForce Entertainment
  [49981, 'WorldStream'], // WorldStream B.V.
  [50673, 'Serverius'], // Serverius Holding
  [206264, 'Amarutu'], // Amarutu Technology (Koddos)
  [39351, '31173 Services'], // 31173 Services AB, Swedish host of VPN exits
  [51852, 'Private Layer'], // Private Layer INC
  [57169, 'EDIS'], // EDIS GmbH
  [24961, 'myLoc'], // myLoc managed IT (WIIT AG)
  [13213, 'UK-2'], // UK-2 Limited
  [20860, 'iomart'], // iomart Cloud Services
  [42708, 'GleSYS'], // GleSYS AB
  [23470, 'ReliableSite'], // ReliableSite.Net
  [46844, 'Sharktech'], // Sharktech
  [29802, 'Hivelocity'], // HIVELOCITY, Inc.
  [61317, 'Hivelocity'], // Hivelocity Inc, further network
  [46562, 'Performive'], // Performive (Total Server Solutions)
  [32097, 'WholeSale Internet'], // WholeSale Internet, Kansas City dedicated servers
  [19318, 'Interserver'], // Interserver
  [20454, 'PhoenixNAP'], // Secured Servers LLC (PhoenixNAP)
  [35908, 'Krypt'], // Krypt Technologies (VPLS)
  [25820, 'IT7 Networks'], // IT7 Networks
  [55286, 'ServerMania'], // B2 Net Solutions, which runs ServerMania
  [35916, 'Multacom'], // MULTACOM Corporation
  [63023, 'GTHost'], // GTHost
  [9370, 'SAKURA Internet'], // SAKURA Internet, Japan's hosting company
  [40065, 'CNSERVERS'], // CNSERVERS LLC
  [18450, 'WebNX'], // WebNX
  [62904, 'Eonix'], // Eonix Corporation
  [19969, "Joe's Datacenter"], // Joe's Datacenter
  [30058, 'FDCservers'], // FDCservers.net
  [46475, 'Limestone Networks'], // Limestone Networks
  [32475, 'INAP'], // Internap (SingleHop)
  [35913, 'DediPath'], // DediPath
  [397423, 'Tier.Net'], // Tier.Net Technologies
  [11878, 'tzulo'], // tzulo, inc.
  [27176, 'DataWagon'], // DataWagon
  [40244, 'Turnkey Internet'], // Turnkey Internet
  [23033, 'Wowrack'], // Wowrack.com
  [20278, 'Nexeon'], // Nexeon Technologies
  [36057, 'Webair'], // Webair Internet Development
];

const PROXIES: readonly Entry[] = [
  // WARP (Cloudflare's free consumer VPN), Workers and part of iCloud Private Relay: people hide here
  // too, so the click is anonymised rather than surely a bot.
  [13335, 'Cloudflare'],
  [209242, 'Cloudflare'], // Cloudflare London, LLC: more of Cloudflare's egress, same reason
  [54113, 'Fastly'], // Fastly edge compute and iCloud Private Relay egress
  [20940, 'Akamai'], // Akamai International CDN edge
  [16625, 'Akamai'], // Akamai Technologies CDN edge
  [36183, 'Akamai'], // Akamai's iCloud Private Relay egress
];

const VPN_PROVIDERS: readonly Entry[] = [
  [216025, 'Mullvad VPN'], // Mullvad VPN AB's own exits
  [62371, 'Proton'], // Proton AG: Proton VPN exits and Proton's own services
  [209103, 'Proton'], // Proton AG, second network
  [397540, 'Windscribe'], // Windscribe VPN
  [136787, 'PacketHub'], // PacketHub S.A., the network behind NordVPN's exits
  [207137, 'PacketHub'], // PacketHub S.A., European network
];

function toEntries(entries: readonly Entry[], kind: HostingKind): [number, HostingAsn][] {
  return entries.map(([asn, name]) => [asn, { name, kind }]);
}

/** Every curated entry in file order; tests check it for repeats. */
export const HOSTING_ASN_ENTRIES: readonly (readonly [number, HostingAsn])[] = [
  ...toEntries(HOSTING, 'hosting'),
  ...toEntries(PROXIES, 'proxy'),
  ...toEntries(VPN_PROVIDERS, 'vpn'),
];

export const HOSTING_ASNS: ReadonlyMap<number, HostingAsn> = new Map(HOSTING_ASN_ENTRIES);

/**
 * Networks deliberately NOT judged as hosting, even when their organisation name would match a
 * hosting pattern: a person there is plausible, or counting them would hurt the advertiser.
 */
export const NOT_HOSTING_ASNS: ReadonlyMap<number, string> = new Map([
  // Google's own network is not rented out (Google Cloud is 396982). Clicks from it are Google's crawlers
  // (verified or caught by user agent), its staff, and Google-run privacy proxies for people.
  [15169, 'Google'],
  // Meta's network: its ad-review fetches do not all announce themselves, and refusing them gets ads
  // rejected; the rest is staff. A fake browser from here is left to the user-agent and header rules.
  [32934, 'Meta'],
  // ByteDance and TikTok: TikTok's ad review does not announce itself and comes from these networks, so
  // flagging them would put TikTok's reviewer in refund claims. Their rented clouds (BytePlus, Volcano
  // Engine) are listed above.
  [396986, 'ByteDance'],
  [138699, 'TikTok'], // TikTok Pte. Ltd., same reason
  [11983, 'TikTok'], // TikTok U.S. Data Security, same reason
  [714, 'Apple'], // Apple's network: Applebot, staff, link previews; not rented out
  [6185, 'Apple'], // Apple's second network, same reason
  [14413, 'LinkedIn'], // LinkedIn's own network: its verified crawler and staff
  [13414, 'X'], // X (Twitter): its card crawler and staff
  [13238, 'Yandex'], // Yandex search and consumer services; Yandex Cloud (200350) is listed above
  // Corporate secure web gateways: every employee of a client company browses through them.
  [53813, 'Zscaler'],
  [62044, 'Zscaler'], // Zscaler Switzerland, same reason
  [55256, 'Netskope'], // Netskope, same reason
  [36692, 'Cisco Umbrella'], // Cisco OpenDNS / Umbrella secure web gateway, same reason
  // Hurricane Electric is a transit and colocation network, but also hands out free IPv6 tunnels
  // (tunnelbroker.net) that people use at home.
  [6939, 'Hurricane Electric'],
  [35540, 'OVH Télécom'], // OVH's consumer ISP (DSL and fibre to homes), unlike OVHcloud's 16276
]);
